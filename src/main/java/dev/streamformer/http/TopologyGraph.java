package dev.streamformer.http;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The topology as the status page draws it: for each stage its task and model, the topic it reads, the topic it
 * writes, its dead-letter topic and its route topics (label value → topic). Built from the same plan that
 * {@code run --describe} prints.
 */
public record TopologyGraph(String name, List<Stage> stages) {

    public record Stage(String name, String task, String model, String input, String output, String deadLetter,
                        Map<String, String> routes) {
        public Stage {
            routes = routes == null ? Map.of() : new LinkedHashMap<>(routes);
        }
    }

    public TopologyGraph {
        stages = List.copyOf(stages);
    }

    /** The API's body: {@code {"name":..,"stages":[{name,task,model,input,output,deadLetter,routes:{value:topic}}]}}. */
    public Map<String, Object> toJson() {
        var list = new ArrayList<Map<String, Object>>();
        for (Stage s : stages) {
            var m = new LinkedHashMap<String, Object>();
            m.put("name", s.name());
            m.put("task", s.task());
            m.put("model", s.model());
            m.put("input", s.input());
            m.put("output", s.output());
            m.put("deadLetter", s.deadLetter());
            m.put("routes", s.routes());
            list.add(m);
        }
        var body = new LinkedHashMap<String, Object>();
        body.put("name", name);
        body.put("stages", list);
        return body;
    }

    /** Every dead-letter topic, once each, in stage order. */
    public List<String> deadLetterTopics() {
        return stages.stream().map(Stage::deadLetter).filter(t -> t != null && !t.isBlank()).distinct().toList();
    }
}
