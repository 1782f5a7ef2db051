package io.backbone.cli;

import io.backbone.platform.LocalPlatform;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** A broker and registry for development, until Ctrl-C. */
@Command(
        name = "dev-cluster",
        description = "Start the embedded KRaft broker and schema registry and print their addresses until Ctrl-C.")
final class DevClusterCommand implements Callable<Integer> {
    @Option(
            names = "--registry-port",
            defaultValue = "8081",
            description = "Port of the schema registry (default ${DEFAULT-VALUE}; 0 picks one).")
    int registryPort;

    @Override
    public Integer call() throws Exception {
        LocalPlatform platform = LocalPlatform.start(registryPort);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            platform.close();
            stopped.countDown();
        }));
        System.out.println("export KAFKA_BOOTSTRAP_SERVERS=" + platform.bootstrapServers());
        System.out.println("export SCHEMA_REGISTRY_URL=" + platform.schemaRegistryUrl());
        System.out.println("# source these lines in another shell, e.g. ./backbone dev-cluster > /tmp/cluster.env & "
                + "then . /tmp/cluster.env; then ./backbone provision && ./backbone topology. Ctrl-C stops.");
        System.out.flush();
        stopped.await();
        return 0;
    }
}
