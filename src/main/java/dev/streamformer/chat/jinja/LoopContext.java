package dev.streamformer.chat.jinja;

import java.util.List;

/** The {@code loop} variable inside a for loop: position ({@code index0}, {@code first}, {@code last}, …) and neighbours. */
final class LoopContext {

    private final List<Object> items;
    private int index0;

    LoopContext(List<Object> items) {
        this.items = items;
    }

    void moveTo(int index) {
        this.index0 = index;
    }

    Object attribute(String name) {
        int length = items.size();
        return switch (name) {
            case "index0" -> (long) index0;
            case "index" -> (long) index0 + 1;
            case "revindex0" -> (long) (length - index0 - 1);
            case "revindex" -> (long) (length - index0);
            case "first" -> index0 == 0;
            case "last" -> index0 == length - 1;
            case "length" -> (long) length;
            case "depth" -> 1L;
            case "depth0" -> 0L;
            case "previtem" -> index0 > 0 ? items.get(index0 - 1) : Undefined.withMessage("there is no previous item");
            case "nextitem" -> index0 < length - 1 ? items.get(index0 + 1) : Undefined.withMessage("there is no next item");
            case "cycle" -> (TemplateFunction) (args, keywords) -> {
                if (args.isEmpty()) {
                    throw new TemplateRenderException("no items for cycling given");
                }
                return args.get(index0 % args.size());
            };
            default -> Undefined.attribute(this, name);
        };
    }

    @Override
    public String toString() {
        return "<LoopContext " + (index0 + 1) + "/" + items.size() + ">";
    }
}
