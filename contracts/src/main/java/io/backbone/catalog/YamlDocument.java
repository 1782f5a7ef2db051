package io.backbone.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.StringReader;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.HashMap;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * A YAML file read into a Jackson tree that remembers the line of every node, so that any problem found later (by
 * the JSON Schema, the compiler, the lint) can name the line. Paths are written {@code $.schema[0].properties[2]}.
 */
public final class YamlDocument {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final String file;
    private final JsonNode root;
    private final Map<String, Integer> lines;
    /** Paths of the plain (unquoted) scalars YAML 1.1 resolves as timestamps, in document order. */
    private final java.util.List<String> timestamps;

    private YamlDocument(String file, JsonNode root, Map<String, Integer> lines, java.util.List<String> timestamps) {
        this.file = file;
        this.root = root;
        this.lines = lines;
        this.timestamps = java.util.List.copyOf(timestamps);
    }

    /** Parses {@code text}; a syntax error becomes a {@link CatalogException} naming the file and line. */
    public static YamlDocument parse(String file, String text) {
        Node node;
        try {
            LoaderOptions options = new LoaderOptions();
            options.setAllowDuplicateKeys(false);
            node = new Yaml(options).compose(new StringReader(text));
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() == null ? 0 : e.getProblemMark().getLine() + 1;
            throw new CatalogException(new Problem(
                    file,
                    line,
                    "",
                    "not valid YAML: " + e.getProblem(),
                    "correct the YAML syntax at that line",
                    "yaml"));
        } catch (YAMLException e) {
            throw new CatalogException(
                    new Problem(file, 0, "", "not valid YAML: " + e.getMessage(), "correct the YAML syntax", "yaml"));
        }
        if (node == null) {
            throw new CatalogException(
                    new Problem(file, 1, "", "file is empty", "write the document or delete the file"));
        }
        Map<String, Integer> lines = new HashMap<>();
        java.util.List<String> timestamps = new java.util.ArrayList<>();
        JsonNode root = convert(node, "$", lines, timestamps);
        return new YamlDocument(file, root, lines, timestamps);
    }

    public String file() {
        return file;
    }

    public JsonNode root() {
        return root;
    }

    /** The node at {@code path} ({@code $.schema[0].properties[2].logicalType}), or null when there is none. */
    public JsonNode at(String path) {
        JsonNode node = root;
        java.util.regex.Matcher m = PATH_STEP.matcher(path.startsWith("$") ? path.substring(1) : path);
        while (node != null && m.find()) {
            node = m.group(1) != null ? node.get(m.group(1)) : node.get(Integer.parseInt(m.group(2)));
        }
        return node;
    }

    private static final java.util.regex.Pattern PATH_STEP =
            java.util.regex.Pattern.compile("\\.([^.\\[]+)|\\[(\\d+)\\]");

    /** The 1-based line of the node at {@code path}, or of its nearest ancestor that has one. */
    public int line(String path) {
        String p = path;
        while (true) {
            Integer line = lines.get(p);
            if (line != null) {
                return line;
            }
            int cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
            if (cut <= 0) {
                return lines.getOrDefault("$", 1);
            }
            p = p.substring(0, cut);
        }
    }

    /** A problem at {@code path} in this file. */
    public Problem problem(String path, String message, String fix) {
        return new Problem(file, line(path), path, message, fix);
    }

    /** A problem at {@code path} found by {@code policy}. */
    public Problem problem(String policy, String path, String message, String fix) {
        return new Problem(file, line(path), path, message, fix, policy);
    }

    /**
     * Where the document writes a date or time without quotes: this project reads it as text, a YAML 1.1 reader
     * (PyYAML) as a timestamp. Paths, in document order.
     */
    public java.util.List<String> unquotedTimestamps() {
        return timestamps;
    }

    private static JsonNode convert(
            Node node, String path, Map<String, Integer> lines, java.util.List<String> timestamps) {
        lines.put(path, node.getStartMark().getLine() + 1);
        if (node instanceof MappingNode mapping) {
            ObjectNode object = NODES.objectNode();
            for (NodeTuple tuple : mapping.getValue()) {
                String key = ((ScalarNode) tuple.getKeyNode()).getValue();
                String child = path + "." + key;
                object.set(key, convert(tuple.getValueNode(), child, lines, timestamps));
                lines.put(child, tuple.getKeyNode().getStartMark().getLine() + 1);
            }
            return object;
        }
        if (node instanceof SequenceNode sequence) {
            ArrayNode array = NODES.arrayNode();
            int i = 0;
            for (Node item : sequence.getValue()) {
                array.add(convert(item, path + "[" + i++ + "]", lines, timestamps));
            }
            return array;
        }
        ScalarNode scalar = (ScalarNode) node;
        String value = scalar.getValue();
        Tag tag = scalar.getTag();
        if (Tag.TIMESTAMP.equals(tag)) {
            timestamps.add(path);
        }
        if (Tag.NULL.equals(tag)) {
            return NODES.nullNode();
        }
        if (Tag.BOOL.equals(tag)) {
            return NODES.booleanNode(Boolean.parseBoolean(value.toLowerCase()));
        }
        if (Tag.INT.equals(tag)) {
            try {
                BigInteger big = new BigInteger(value.replace("_", ""));
                return big.bitLength() < 63 ? NODES.numberNode(big.longValue()) : NODES.numberNode(big);
            } catch (NumberFormatException e) {
                return NODES.textNode(value);
            }
        }
        if (Tag.FLOAT.equals(tag)) {
            try {
                return NODES.numberNode(new BigDecimal(value.replace("_", "")));
            } catch (NumberFormatException e) {
                return NODES.textNode(value);
            }
        }
        return NODES.textNode(value);
    }
}
