package io.backbone.ops;

import java.util.function.Supplier;

/**
 * One named check behind {@code /health/live} or {@code /health/ready}: {@code up} or not, with a detail a person
 * reads when the probe fails (the state, the error), never a secret.
 */
public record HealthCheck(String name, Supplier<Result> probe) {
    public record Result(boolean up, String detail) {
        public static Result up(String detail) {
            return new Result(true, detail);
        }

        public static Result down(String detail) {
            return new Result(false, detail);
        }
    }

    /** Runs the probe; a probe that throws is down, with the exception's message as its detail. */
    public Result run() {
        try {
            return probe.get();
        } catch (RuntimeException e) {
            return Result.down(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }
}
