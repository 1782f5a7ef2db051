package io.backbone.cli;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The module order, lowest first:
 *
 * <ol>
 *   <li>{@code wire} (the serde, the registry client, the client settings) and {@code schemas}: neither imports the
 *       other; {@code platform-local} (the embedded broker, registry and PostgreSQL) and {@code console} stand alone;
 *   <li>{@code contracts}, on {@code wire} and {@code schemas};
 *   <li>on {@code contracts} and below, none importing another: {@code producer-domain}, {@code consumer-domain},
 *       {@code backbone-topology} (the Streams application alone), {@code provisioning} (cluster administration),
 *       {@code catalog-service}, {@code cdc} (which knows no domain service), {@code operations};
 *   <li>{@code demo} on the domain modules, {@code benchmarks} on what it measures;
 *   <li>{@code backbone-cli}, which nothing imports.
 * </ol>
 *
 * Held on the main code of every module (this module sees them all), and no package cycle anywhere.
 */
class ArchitectureTest {
    static JavaClasses classes;

    @BeforeAll
    static void importMainCode() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                // test fixtures shared as test-jars are tests too
                .withImportOption(location -> !location.contains("-tests.jar"))
                .importPackages("io.backbone");
    }

    /** The modules, as the packages they hold. */
    static ArchRule modules() {
        return layeredArchitecture()
                .consideringOnlyDependenciesInLayers()
                .layer("wire")
                .definedBy("io.backbone.serde..", "io.backbone.registry..", "io.backbone.kafka..")
                .layer("schemas")
                .definedBy(
                        "io.backbone.orders..",
                        "io.backbone.payments..",
                        "io.backbone.customers..",
                        "io.backbone.inventory..")
                .layer("contracts")
                .definedBy(
                        "io.backbone.catalog..",
                        "io.backbone.access..",
                        "io.backbone.governance..",
                        "io.backbone.dlq..",
                        "io.backbone.contract..",
                        "io.backbone.product..")
                .layer("console")
                .definedBy("io.backbone.console..")
                .layer("platform-local")
                .definedBy("io.backbone.platform..")
                .layer("producer-domain")
                .definedBy("io.backbone.producer..")
                .layer("consumer-domain")
                .definedBy("io.backbone.consumer..")
                .layer("backbone-topology")
                .definedBy("io.backbone.topology..")
                .layer("provisioning")
                .definedBy("io.backbone.provisioning..")
                .layer("catalog-service")
                .definedBy("io.backbone.catalogservice..")
                .layer("cdc")
                .definedBy("io.backbone.cdc..")
                .layer("operations")
                .definedBy("io.backbone.ops..")
                .layer("demo")
                .definedBy("io.backbone.demo..")
                .layer("benchmarks")
                .definedBy("io.backbone.bench..")
                .layer("backbone-cli")
                .definedBy("io.backbone.cli..")
                .whereLayer("wire")
                .mayNotAccessAnyLayer()
                .whereLayer("schemas")
                .mayNotAccessAnyLayer()
                .whereLayer("console")
                .mayNotAccessAnyLayer()
                .whereLayer("platform-local")
                .mayNotAccessAnyLayer()
                .whereLayer("contracts")
                .mayOnlyAccessLayers("wire", "schemas")
                .whereLayer("producer-domain")
                .mayOnlyAccessLayers("wire", "schemas", "contracts")
                .whereLayer("consumer-domain")
                .mayOnlyAccessLayers("wire", "schemas", "contracts")
                .whereLayer("backbone-topology")
                .mayOnlyAccessLayers("wire", "schemas", "contracts")
                .whereLayer("provisioning")
                .mayOnlyAccessLayers("wire", "schemas", "contracts")
                .whereLayer("catalog-service")
                .mayOnlyAccessLayers("wire", "schemas", "contracts")
                .whereLayer("cdc")
                .mayOnlyAccessLayers("wire", "schemas", "contracts")
                .whereLayer("operations")
                .mayOnlyAccessLayers("wire", "schemas", "contracts")
                .whereLayer("demo")
                .mayOnlyAccessLayers("wire", "schemas", "contracts", "producer-domain", "consumer-domain")
                .whereLayer("benchmarks")
                .mayOnlyAccessLayers(
                        "wire",
                        "schemas",
                        "contracts",
                        "console",
                        "platform-local",
                        "producer-domain",
                        "cdc",
                        "backbone-topology",
                        "provisioning")
                .whereLayer("backbone-cli")
                .mayNotBeAccessedByAnyLayer();
    }

    @Test
    void everyModuleImportsOnlyTheModulesBelowIt() {
        modules().check(classes);
    }

    @Test
    void noPackageCycleAnywhere() {
        slices().matching("io.backbone.(**)").should().beFreeOfCycles().check(classes);
    }
}
