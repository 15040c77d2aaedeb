package io.flotilla.experiments.runner;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An experiment file as a tree that remembers where each value and key stood, so that every complaint about it can
 * name the line and column. Read with Jackson's streaming YAML parser, whose token locations are those positions;
 * a data-binding mapper would forget them.
 */
final class YamlNode {

    /** A position in the file, 1-based. */
    record Mark(int line, int column) {
        static Mark of(JsonLocation l) {
            return new Mark(l.getLineNr(), l.getColumnNr());
        }
    }

    /** One key of a mapping: where the key stood, and its value. */
    record Entry(String key, Mark keyMark, YamlNode value) {}

    enum Kind { MAP, LIST, TEXT, INTEGER, DECIMAL, BOOLEAN, NULL }

    private static final YAMLFactory YAML = new YAMLFactory();

    final Kind kind;
    final Mark mark;
    final String text;
    final Map<String, Entry> entries;
    final List<YamlNode> items;

    private YamlNode(Kind kind, Mark mark, String text, Map<String, Entry> entries, List<YamlNode> items) {
        this.kind = kind;
        this.mark = mark;
        this.text = text;
        this.entries = entries;
        this.items = items;
    }

    /** The document's root; an empty document is an empty mapping. */
    static YamlNode parse(String file, String source) {
        try (JsonParser p = YAML.createParser(source)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                return new YamlNode(Kind.MAP, new Mark(1, 1), null, Map.of(), List.of());
            }
            return read(file, p);
        } catch (JsonProcessingException e) {
            JsonLocation l = e.getLocation();
            String where = l == null ? file : file + ":" + l.getLineNr() + ":" + l.getColumnNr();
            throw new ExperimentFormatException(where + ": not valid YAML: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ExperimentFormatException(file + ": cannot read: " + e.getMessage());
        }
    }

    private static YamlNode read(String file, JsonParser p) throws IOException {
        Mark mark = Mark.of(p.currentTokenLocation());
        JsonToken t = p.currentToken();
        switch (t) {
            case START_OBJECT -> {
                Map<String, Entry> entries = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    Mark keyMark = Mark.of(p.currentTokenLocation());
                    if (entries.containsKey(key)) {
                        throw ExperimentFormatException.at(file, keyMark, key, "given twice (first on line "
                                + entries.get(key).keyMark().line() + ")");
                    }
                    p.nextToken();
                    entries.put(key, new Entry(key, keyMark, read(file, p)));
                }
                return new YamlNode(Kind.MAP, mark, null, Collections.unmodifiableMap(entries), List.of());
            }
            case START_ARRAY -> {
                List<YamlNode> items = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    items.add(read(file, p));
                }
                return new YamlNode(Kind.LIST, mark, null, Map.of(), List.copyOf(items));
            }
            case VALUE_NUMBER_INT -> {
                return scalar(Kind.INTEGER, mark, p.getText());
            }
            case VALUE_NUMBER_FLOAT -> {
                return scalar(Kind.DECIMAL, mark, p.getText());
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                return scalar(Kind.BOOLEAN, mark, p.getText());
            }
            case VALUE_NULL -> {
                return scalar(Kind.NULL, mark, "");
            }
            default -> {
                return scalar(Kind.TEXT, mark, p.getText());
            }
        }
    }

    private static YamlNode scalar(Kind kind, Mark mark, String text) {
        return new YamlNode(kind, mark, text, Map.of(), List.of());
    }

    boolean isScalar() {
        return kind != Kind.MAP && kind != Kind.LIST;
    }

    /** How the user would name this kind of value in a message. */
    String describe() {
        return switch (kind) {
            case MAP -> "a mapping";
            case LIST -> "a list";
            case TEXT -> "text '" + text + "'";
            case INTEGER -> "the number " + text;
            case DECIMAL -> "the number " + text;
            case BOOLEAN -> text;
            case NULL -> "nothing";
        };
    }
}
