package org.triage.source;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** EWF segment names as libewf writes them (its documentation: E01…E99, then EAA…EZZ, keeping case). */
class ImageSegmentsTest {
    @Test
    void ewfSegmentNamesFollowLibewf() {
        assertEquals("E01", ImageSegments.ewfExtension('E', 1));
        assertEquals("E99", ImageSegments.ewfExtension('E', 99));
        assertEquals("EAA", ImageSegments.ewfExtension('E', 100));
        assertEquals("EAB", ImageSegments.ewfExtension('E', 101));
        assertEquals("EBA", ImageSegments.ewfExtension('E', 126));
        assertEquals("eaa", ImageSegments.ewfExtension('e', 100));
        assertEquals("s02", ImageSegments.ewfExtension('s', 2));
    }
}
