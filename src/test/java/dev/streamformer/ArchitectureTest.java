package dev.streamformer;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.constantpool.ClassEntry;
import java.lang.classfile.constantpool.PoolEntry;
import java.lang.classfile.constantpool.Utf8Entry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Arrows one way: every package's {@code package-info.java} says what the package is for and, in a sentence
 * "May depend on: …", which Streamformer packages (and whether Kafka) it may use; the compiled classes in
 * {@code target/classes} (read with the JDK's class-file API) use no others, the table has no cycles but the known ones
 * below, and the README's package table names the top-level packages.
 */
class ArchitectureTest {

    static final String ROOT = "dev.streamformer";
    static final String KAFKA = "Kafka";
    static final Path SOURCES = Path.of("src/main/java/dev/streamformer");
    static final Path CLASSES = Path.of("target/classes/dev/streamformer");

    /**
     * Groups of packages that may still use each other, with why; cut a group once its cycle is gone.
     * The tokenizer's post-processors fill in the {@code Encoding} that {@code tokenize} defines.
     */
    static final List<Set<String>> KNOWN_CYCLES = List.of(
            Set.of("tokenize", "tokenize.process"));

    private static final Pattern RULE = Pattern.compile("May depend on(:| nothing else in Streamformer)(.*)", Pattern.DOTALL);
    private static final Pattern CODE = Pattern.compile("\\{@code ([a-z][a-z0-9.]*)}");
    private static final Pattern TYPE_IN_DESCRIPTOR = Pattern.compile("L((?:dev/streamformer|org/apache/kafka)/[\\w/$]+)[;<]");

    @Test
    void everyPackageUsesOnlyWhatItsPackageInfoAllows() throws IOException {
        Map<String, Set<String>> allowed = allowedDependencies();
        List<String> violations = new ArrayList<>();
        used().forEach((pkg, uses) -> {
            assertTrue(allowed.containsKey(pkg), pkg + " has classes but no package-info.java saying what it may depend on");
            for (String use : uses) {
                if (!allowed.get(pkg).contains(use)) violations.add(pkg + " -> " + use);
            }
        });
        assertEquals(List.of(), violations, "uses that the package-info does not allow: allow them there (and mind the"
                + " direction of the arrow), or move the code");
    }

    @Test
    void theAllowedDependenciesHaveNoCyclesButTheKnownOnes() throws IOException {
        Map<String, Set<String>> allowed = allowedDependencies();
        List<String> cycles = new ArrayList<>();
        for (String from : allowed.keySet()) {
            for (String to : reachable(from, allowed)) {
                if (from.compareTo(to) < 0 && reachable(to, allowed).contains(from) 
                        && KNOWN_CYCLES.stream().noneMatch(known -> known.containsAll(Set.of(from, to)))) {
                    cycles.add(from + " <-> " + to);
                }
            }
        }
        assertEquals(List.of(), cycles);
    }

    @Test
    void theReadmePackageTableNamesEveryTopLevelPackage() throws IOException {
        Set<String> topLevel = new TreeSet<>();
        try (Stream<Path> dirs = Files.list(SOURCES)) {
            dirs.filter(Files::isDirectory).forEach(d -> topLevel.add(d.getFileName().toString()));
        }
        Set<String> inReadme = new TreeSet<>();
        Matcher row = Pattern.compile("(?m)^\\| `([a-z.]+)` \\|").matcher(Files.readString(Path.of("README.md")));
        while (row.find()) {
            if (Files.isDirectory(SOURCES.resolve(row.group(1).replace('.', '/')))) inReadme.add(row.group(1));
        }
        assertEquals(topLevel, inReadme);
    }

    /** Package (relative to dev.streamformer) → the packages (and {@value #KAFKA}) its package-info allows. */
    static Map<String, Set<String>> allowedDependencies() throws IOException {
        Map<String, Set<String>> allowed = new TreeMap<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path info : files.filter(f -> f.getFileName().toString().equals("package-info.java")).toList()) {
                String pkg = SOURCES.relativize(info.getParent()).toString().replace('/', '.');
                allowed.put(pkg, rule(pkg, Files.readString(info)));
            }
        }
        return allowed;
    }

    /** The list after "May depend on:", up to the first ';', ':', '(' or the end of the sentence. */
    private static Set<String> rule(String pkg, String packageInfo) {
        String doc = packageInfo.substring(0, packageInfo.indexOf("*/")).replaceAll("\\s*\\n\\s*\\*\\s?", " ");
        Matcher m = RULE.matcher(doc);
        assertTrue(m.find(), pkg + "/package-info.java says nothing about what the package may depend on (\"May depend on: ...\")");
        Set<String> deps = new TreeSet<>();
        if (m.group(1).startsWith(" nothing")) return deps;
        String list = m.group(2).split(";|: | \\(|\\.(\\s|$)")[0];
        Matcher code = CODE.matcher(list);
        while (code.find()) deps.add(code.group(1));
        if (list.contains(KAFKA)) deps.add(KAFKA);
        return deps;
    }

    /** Package → the other Streamformer packages (and {@value #KAFKA}) its compiled classes refer to. */
    static Map<String, Set<String>> used() throws IOException {
        Map<String, Set<String>> used = new TreeMap<>();
        assertTrue(Files.isDirectory(CLASSES), "compile first: no " + CLASSES);
        try (Stream<Path> files = Files.walk(CLASSES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                ClassModel model = ClassFile.of().parse(file);
                String pkg = relative(packageOf(model.thisClass().asInternalName()));
                Set<String> uses = used.computeIfAbsent(pkg, k -> new TreeSet<>());
                for (PoolEntry entry : model.constantPool()) {
                    for (String type : referencedTypes(entry)) {
                        String other = packageOf(type);
                        if (other.startsWith("org.apache.kafka")) uses.add(KAFKA);
                        else if (other.startsWith(ROOT + ".") && !relative(other).equals(pkg)) uses.add(relative(other));
                    }
                }
            }
        }
        return used;
    }

    /** Class names in a constant-pool entry: a class reference, or the types in a descriptor or signature. */
    private static List<String> referencedTypes(PoolEntry entry) {
        List<String> types = new ArrayList<>();
        if (entry instanceof ClassEntry c) types.add(c.asInternalName().replaceAll("^\\[+L|;$", ""));
        if (entry instanceof Utf8Entry utf8) {
            Matcher m = TYPE_IN_DESCRIPTOR.matcher(utf8.stringValue());
            while (m.find()) types.add(m.group(1));
        }
        return types;
    }

    private static Set<String> reachable(String from, Map<String, Set<String>> graph) {
        Set<String> seen = new TreeSet<>();
        List<String> todo = new ArrayList<>(graph.getOrDefault(from, Set.of()));
        while (!todo.isEmpty()) {
            String next = todo.removeLast();
            if (seen.add(next)) todo.addAll(graph.getOrDefault(next, Set.of()));
        }
        return seen;
    }

    private static String packageOf(String internalName) {
        int slash = internalName.lastIndexOf('/');
        return slash < 0 ? "" : internalName.substring(0, slash).replace('/', '.');
    }

    private static String relative(String pkg) {
        return pkg.equals(ROOT) ? "" : pkg.substring(ROOT.length() + 1);
    }
}
