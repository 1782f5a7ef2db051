package io.backbone.contract;

/** Where in the pipeline a record failed; written to the {@code backbone.stage} dead-letter header. */
public enum Stage {
    DESERIALIZE("deserialize"),
    SCHEMA("schema"),
    QUALITY("quality"),
    TRANSFORM("transform"),
    SERIALIZE("serialize");

    private final String code;

    Stage(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }

    public static Stage parse(String code) {
        for (Stage s : values()) {
            if (s.code.equals(code)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown stage '" + code + "'");
    }
}
