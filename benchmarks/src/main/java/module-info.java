/**
 * JMH benchmarks of the pipeline's stages. The digest and reader benchmarks time internal parts on
 * purpose; the engine exports those packages to this module alone.
 */
module org.triage.benchmarks {
    requires org.triage.engine;
    requires com.sun.jna;
    requires jmh.core;
    requires java.desktop;
    requires java.management;
    requires jdk.management; // RematchBenchmark: the process's CPU time

    opens org.triage.benchmarks to jmh.core;
}
