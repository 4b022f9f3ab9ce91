/**
 * The triage engine: scans evidence (directory trees, disk images, devices), hashes every file and
 * looks each digest up in a known-hash store.
 *
 * <p>The API is {@link org.triage.Triage} (the entry point), {@link org.triage.ScanConfig} and
 * {@link org.triage.Scan}; the records and results in {@code org.triage.model}; the category table
 * and evidence ranking in {@code org.triage.priority}; the report writers in
 * {@code org.triage.report}; the store's open, import and export types in {@code org.triage.store};
 * the acquisition (imaging a drive and triaging it in the same read) in {@code org.triage.acquire}.
 * Everything else (the pipeline, the sources' readers, the digests, the native bindings, content
 * signatures) is internal and may change in any release.
 *
 * <p>The stage benchmarks time internal parts (a digest, a content reader, the PDQ hasher) on
 * purpose, so four internal packages are exported to the benchmarks module alone, as the JDK exports
 * its internals to its own tools.
 *
 * <p>The boundary is enforced when the CLI and the benchmarks compile, since both are modules, and
 * the engine's tests run on the module path, so they prove the engine works as a module (JNA, for
 * one, needs the packages with native bindings opened to it). The shaded {@code triage.jar} runs on
 * the class path (one jar, no module path to set up).
 */
module org.triage.engine {
    requires com.lmax.disruptor;
    requires com.sun.jna;
    // ExtendedOpenOption.DIRECT: the raw image is written around the page cache (acquire.RawImageSink).
    requires jdk.unsupported;
    requires com.fasterxml.jackson.core;
    requires com.fasterxml.jackson.databind;
    requires java.desktop;
    requires java.sql;
    requires org.apache.commons.compress;
    requires com.twelvemonkeys.imageio.jpeg;
    requires com.twelvemonkeys.imageio.tiff;
    requires com.twelvemonkeys.imageio.webp;
    requires org.tukaani.xz;
    requires rocksdbjni;

    exports org.triage;
    exports org.triage.model;
    exports org.triage.priority;
    exports org.triage.report;
    exports org.triage.store;
    exports org.triage.acquire;

    exports org.triage.hash to org.triage.benchmarks;
    exports org.triage.natives to org.triage.benchmarks;
    exports org.triage.pdq to org.triage.benchmarks;
    exports org.triage.picture to org.triage.benchmarks;
    exports org.triage.source to org.triage.benchmarks;

    // JNA reads the native bindings (interfaces, structures, callbacks) by reflection.
    opens org.triage.hash to com.sun.jna;
    opens org.triage.natives to com.sun.jna;
    opens org.triage.picture to com.sun.jna;
    opens org.triage.source to com.sun.jna;
    // The store's own records (set records, metadata) are bound to JSON by jackson-databind.
    opens org.triage.store to com.fasterxml.jackson.databind;
}
