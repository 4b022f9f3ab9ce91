/**
 * The {@code triage} command. It uses the engine only through what the engine exports (see the
 * engine's module-info); this module exists so that the compiler holds it to that.
 */
module org.triage.cli {
    requires org.triage.engine;
    requires org.triage.casework;
    requires info.picocli;
    requires com.fasterxml.jackson.databind;
    requires com.sun.jna;          // isatty(2) for the progress display
    requires java.desktop;         // the demo draws its sample pictures (ImageIO)
    requires java.logging;         // -v routes the engine's System.Logger to stderr
    requires java.management;      // peak heap for --stats-file
    requires jdk.management;       // heap dumps with -vv
    requires jdk.unsupported;      // sun.misc.Signal: SIGINT/SIGTERM handling

    opens org.triage.cli to info.picocli;
}
