package io.backbone.contract;

import io.backbone.contract.normalise.Normaliser;
import java.util.List;
import java.util.function.UnaryOperator;
import org.apache.avro.generic.GenericRecord;

/**
 * The normalisers a contract declares on one string property, compiled against its Avro schema: {@code property} is
 * the contract's path ({@code address.country}, {@code lines[].sku}), {@code kinds} the normalisers as declared (applied
 * in {@link Normaliser#KINDS} order). Immutable and shared by every stream thread.
 */
public final class Correction {
    private final String property;
    private final FieldPath field;
    private final List<String> kinds;
    private final Normaliser normaliser;
    private final UnaryOperator<Object> onValue;

    public Correction(String property, FieldPath field, List<String> kinds, Normaliser normaliser) {
        this.property = property;
        this.field = field;
        this.kinds = List.copyOf(kinds);
        this.normaliser = normaliser;
        this.onValue = this::correct;
    }

    public String property() {
        return property;
    }

    public List<String> kinds() {
        return kinds;
    }

    public Normaliser normaliser() {
        return normaliser;
    }

    /**
     * What this correction makes of the string {@code v} (a CEL expression), in CEL with its string extension, for a
     * producer's serializer to check a rule on the corrected value; null when a normaliser has no CEL form ({@link
     * Normaliser#PORTABLE_KINDS}).
     */
    public String portableCel(String v) {
        return Normaliser.portableCel(kinds, v);
    }

    /**
     * Corrects every value at the property's path in {@code record}, in place. Returns whether any value changed; an
     * unchanged value stays the very object the decoder made (an Avro {@code Utf8}), a changed one becomes a String.
     */
    public boolean apply(GenericRecord record) {
        return field.update(record, onValue);
    }

    private Object correct(Object value) {
        if (value == null) {
            return null;
        }
        String text = value.toString();
        String corrected = normaliser.apply(text);
        return corrected == text ? value : corrected;
    }

    @Override
    public String toString() {
        return property + " " + kinds;
    }
}
