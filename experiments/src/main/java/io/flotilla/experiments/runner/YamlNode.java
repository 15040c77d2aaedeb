package io.flotilla.experiments.runner;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * An experiment file as a tree that remembers where each value and key stood, so that every complaint about it can
 * name the line and column. Read with Jackson's streaming YAML parser, whose token locations are those positions;
 * a data-binding mapper would forget them. The parser is held to {@link InputLimits}: string length, nesting depth
 * and code points read are capped inside Jackson and SnakeYAML, so no value grows past them, and a file holds one
 * document.
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

    private static final YAMLFactory YAML = limitedFactory();

    private static YAMLFactory limitedFactory() {
        LoaderOptions loader = new LoaderOptions();
        loader.setCodePointLimit(InputLimits.MAX_FILE_BYTES);
        // The parsers' own limits are a backstop one level beyond the reader's, which names the place.
        loader.setNestingDepthLimit(InputLimits.MAX_NESTING + 2);
        YAMLFactory f = YAMLFactory.builder().loaderOptions(loader).build();
        f.setStreamReadConstraints(StreamReadConstraints.builder()
                .maxStringLength(InputLimits.MAX_STRING_CHARS)
                .maxNestingDepth(InputLimits.MAX_NESTING + 1)
                .maxNumberLength(64)
                .build());
        return f;
    }

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

    /** The document's root; an empty document is an empty mapping. A second document is an error naming it. */
    static YamlNode parse(String file, String source) {
        if (source.length() > InputLimits.MAX_FILE_BYTES) {
            throw new ExperimentFormatException(file + ": larger than " + InputLimits.MAX_FILE_BYTES
                    + " characters; an experiment file is a few kilobytes");
        }
        try (JsonParser p = YAML.createParser(source)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                return new YamlNode(Kind.MAP, new Mark(1, 1), null, Map.of(), List.of());
            }
            YamlNode root = read(file, p, 1);
            // Jackson reports further documents as further root values; each would be silently ignored.
            if (p.nextToken() != null) {
                Mark second = Mark.of(p.currentTokenLocation());
                throw new ExperimentFormatException(file + ":" + second.line() + ":" + second.column()
                        + ": a second YAML document starts here; an experiment file holds one (put each experiment"
                        + " in a file of its own)");
            }
            return root;
        } catch (StreamConstraintsException e) {
            JsonLocation l = e.getLocation();
            String where = l == null ? file : file + ":" + l.getLineNr() + ":" + l.getColumnNr();
            throw new ExperimentFormatException(where + ": too large: " + e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            JsonLocation l = e.getLocation();
            String where = l == null ? file : file + ":" + l.getLineNr() + ":" + l.getColumnNr();
            throw new ExperimentFormatException(where + ": not valid YAML: " + firstLine(e.getOriginalMessage()));
        } catch (IOException e) {
            throw new ExperimentFormatException(file + ": cannot read: " + e.getMessage());
        }
    }

    /** SnakeYAML's messages quote the offending lines below the reason; the position is already in front. */
    private static String firstLine(String message) {
        return message == null ? "" : message.lines().findFirst().orElse("").strip();
    }

    private static YamlNode read(String file, JsonParser p, int depth) throws IOException {
        Mark mark = Mark.of(p.currentTokenLocation());
        JsonToken t = p.currentToken();
        if (depth > InputLimits.MAX_NESTING) {
            throw new ExperimentFormatException(file + ":" + mark.line() + ":" + mark.column() + ": nested more than "
                    + InputLimits.MAX_NESTING + " levels deep; an experiment file needs four");
        }
        if (t.isScalarValue() && p.getTextLength() > InputLimits.MAX_STRING_CHARS) {
            // Jackson's string-length constraint does not apply to the scalars SnakeYAML hands it.
            throw new ExperimentFormatException(file + ":" + mark.line() + ":" + mark.column() + ": a value of "
                    + p.getTextLength() + " characters; at most " + InputLimits.MAX_STRING_CHARS);
        }
        switch (t) {
            case START_OBJECT -> {
                Map<String, Entry> entries = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    if (key.length() > InputLimits.MAX_PARAMETER_CHARS) {
                        Mark at = Mark.of(p.currentTokenLocation());
                        throw new ExperimentFormatException(file + ":" + at.line() + ":" + at.column() + ": a key of "
                                + key.length() + " characters; at most " + InputLimits.MAX_PARAMETER_CHARS);
                    }
                    Mark keyMark = Mark.of(p.currentTokenLocation());
                    if (entries.containsKey(key)) {
                        throw ExperimentFormatException.at(file, keyMark, key, "given twice (first on line "
                                + entries.get(key).keyMark().line() + ")");
                    }
                    p.nextToken();
                    entries.put(key, new Entry(key, keyMark, read(file, p, depth + 1)));
                }
                return new YamlNode(Kind.MAP, mark, null, Collections.unmodifiableMap(entries), List.of());
            }
            case START_ARRAY -> {
                List<YamlNode> items = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    items.add(read(file, p, depth + 1));
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
