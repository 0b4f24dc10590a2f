package dev.sluice.types;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;

/**
 * Exact comparison of envelope values. The mapper keeps every JSON number as the exact decimal it was written as
 * (no double rounding), so {@code 0.1} and {@code 0.10000000149011612} differ, while two spellings of one decimal
 * ({@code 3.4028235E38} and {@code 3.4028235e+38}) are equal.
 */
final class JsonValues {
    static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
            .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
            .build();
    private static final String SHA256 = "sha256:";

    private JsonValues() {}

    /** An expected value from a case file: JSON, or {@code sha256:<hex>} of a (large) string value's UTF-8. */
    static JsonNode expected(String text) {
        if (text.startsWith(SHA256)) {
            return MAPPER.getNodeFactory().textNode(text);
        }
        try {
            return MAPPER.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException("not JSON: " + text + " (" + e.getMessage() + ")", e);
        }
    }

    static boolean same(JsonNode expected, JsonNode actual) {
        if (actual == null || expected.isNull() || actual.isNull()) {
            return actual != null && expected.isNull() == actual.isNull();
        }
        if (expected.isTextual() && expected.textValue().startsWith(SHA256) && actual.isTextual()) {
            return expected.textValue().equals(SHA256 + sha256(actual.textValue())) || expected.equals(actual);
        }
        if (expected.isNumber() && actual.isNumber()) {
            return expected.decimalValue().compareTo(actual.decimalValue()) == 0;
        }
        if (expected.isObject() && actual.isObject()) {
            return sameFields(expected, actual);
        }
        return expected.getNodeType() == actual.getNodeType() && expected.equals(actual);
    }

    private static boolean sameFields(JsonNode expected, JsonNode actual) {
        if (expected.size() != actual.size()) {
            return false;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = expected.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (!same(field.getValue(), actual.get(field.getKey()))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether a decoded value is exactly the value written: the same JSON type, the same number (an integer stays an
     * integer, a fraction keeps its exact digits and scale), the same text; objects field by field in order.
     */
    static boolean identical(JsonNode written, JsonNode decoded) {
        if (written == null || decoded == null) {
            return written == decoded;
        }
        if (written.isNumber()) {
            return decoded.isNumber()
                    && written.isIntegralNumber() == decoded.isIntegralNumber()
                    && written.decimalValue().equals(decoded.decimalValue());
        }
        if (written.isContainerNode()) {
            if (written.getNodeType() != decoded.getNodeType() || written.size() != decoded.size()) {
                return false;
            }
            Iterator<String> names = written.fieldNames();
            Iterator<String> decodedNames = decoded.fieldNames();
            for (int i = 0; i < written.size(); i++) {
                if (written.isObject() && !names.next().equals(decodedNames.next())) {
                    return false;
                }
            }
            for (int i = 0; i < written.size(); i++) {
                JsonNode w = written.isObject() ? written.get(fieldName(written, i)) : written.get(i);
                JsonNode d = decoded.isObject() ? decoded.get(fieldName(written, i)) : decoded.get(i);
                if (!identical(w, d)) {
                    return false;
                }
            }
            return true;
        }
        return written.getNodeType() == decoded.getNodeType() && written.equals(decoded);
    }

    private static String fieldName(JsonNode object, int index) {
        Iterator<String> names = object.fieldNames();
        for (int i = 0; i < index; i++) {
            names.next();
        }
        return names.next();
    }

    /** A value short enough for a failure line; long strings are cut and identified by length and hash. */
    static String describe(JsonNode value) {
        if (value == null) {
            return "(missing)";
        }
        String text = value.toString();
        if (text.length() <= 160) {
            return text;
        }
        String hash = value.isTextual() ? ", " + SHA256 + sha256(value.textValue()) : "";
        return text.substring(0, 120) + "...(" + text.length() + " chars" + hash + ")";
    }

    static String sha256(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
