/**
 * Case triage: a case directory holding a list of evidence items, their state and every match
 * recorded (SQLite, see docs/case-layout.md), the ranked queue of items with the reason in words,
 * and the case's append-only audit trail. A front end of the engine, like the command line: it
 * uses only what the engine exports (org.triage, model, priority, report, store), so that the CLI
 * and a future cluster executor run cases the same way.
 */
module org.triage.casework {
    requires transitive org.triage.engine;
    requires java.sql;
    requires org.xerial.sqlitejdbc;
    requires com.fasterxml.jackson.databind;

    exports org.triage.casework;
}
