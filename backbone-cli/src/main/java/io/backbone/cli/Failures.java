package io.backbone.cli;

import io.backbone.registry.RegistryMisconfiguredException;
import io.backbone.registry.RegistryUnavailableException;
import io.backbone.registry.SchemaRegistryException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;

/**
 * Turns what went wrong outside the command (a broker, a registry, credentials) into one line that names what was
 * tried and the likely fix; the stack trace is for {@code --verbose}.
 */
final class Failures {
    private Failures() {}

    /** One line for {@code e}, or null when it is no failure of the surroundings (a bug: show the trace). */
    static String oneLine(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ClusterUnreachableException || t instanceof BackboneStoppedException) {
                return t.getMessage();
            }
            if (t instanceof RegistryMisconfiguredException) {
                return "the schema registry refuses us or is not a registry: " + t.getMessage();
            }
            if (t instanceof RegistryUnavailableException) {
                return t.getMessage() + " (check --schema-registry-url / SCHEMA_REGISTRY_URL and that the registry"
                        + " is running)";
            }
            if (t instanceof SchemaRegistryException) {
                return "the schema registry answered: " + t.getMessage();
            }
            if (t instanceof AuthenticationException) {
                return "Kafka refused to authenticate " + (principal == null ? "us" : "User:" + principal) + ": "
                        + t.getMessage()
                        + " (check sasl.mechanism, sasl.jaas.config and security.protocol in --command-config)";
            }
            if (t instanceof AuthorizationException) {
                String who = principal == null ? "this client's principal" : "User:" + principal;
                String operation = t instanceof org.apache.kafka.common.errors.GroupAuthorizationException
                        ? "READ on the consumer group"
                        : t instanceof org.apache.kafka.common.errors.TransactionalIdAuthorizationException
                                ? "WRITE on the transactional id"
                                : t instanceof org.apache.kafka.common.errors.ClusterAuthorizationException
                                        ? "the cluster operation (e.g. IDEMPOTENT_WRITE)"
                                        : "WRITE (to produce), READ (to consume) or DESCRIBE (to look up) on the topic";
                return "Kafka refused " + who + ": " + t.getMessage() + "; it needs " + operation
                        + " (grant it in the catalog — descriptor consumers, contract roles or governance/principals.yaml — "
                        + "and run 'backbone apply', or run as a principal that has it)";
            }
            if (isJaasProblem(t)) {
                return "the client's JAAS/SASL configuration is unusable: " + t.getMessage()
                        + " (fix sasl.jaas.config in --command-config, e.g. org.apache.kafka.common.security.scram."
                        + "ScramLoginModule required username=\"…\" password=\"…\";)";
            }
        }
        return null;
    }

    /** The SASL user this process logs in as (from sasl.jaas.config), for messages; null when there is none. */
    static volatile String principal;

    static void rememberPrincipal(java.util.Map<String, ?> settings) {
        Object jaas = settings.get("sasl.jaas.config");
        if (jaas != null) {
            java.util.regex.Matcher m =
                    java.util.regex.Pattern.compile("username=\"([^\"]*)\"").matcher(jaas.toString());
            principal = m.find() ? m.group(1) : null;
        }
    }

    private static boolean isJaasProblem(Throwable t) {
        String message = t.getMessage();
        return t instanceof javax.security.auth.login.LoginException
                || (message != null
                        && (message.contains("JAAS") || message.contains("jaas") || message.contains("LoginModule")));
    }
}
