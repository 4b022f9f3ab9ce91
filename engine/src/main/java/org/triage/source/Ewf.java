package org.triage.source;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import java.util.HexFormat;
import java.util.List;

/**
 * The few libewf calls (Debian package {@code libewf2}, soname {@code libewf.so.2}) needed to read
 * the acquisition hashes an EWF image stores, which libtsk does not expose. Loaded on first use.
 * Read-only: the handle is opened with the read access flag and closed and freed in a finally.
 */
final class Ewf {
    private static final int ACCESS_READ = 1;
    private static final System.Logger LOG = System.getLogger(Ewf.class.getName());

    interface Lib extends Library {
        int libewf_handle_initialize(PointerByReference handle, PointerByReference error);

        int libewf_handle_open(Pointer handle, String[] files, int count, int access, PointerByReference error);

        int libewf_handle_get_md5_hash(Pointer handle, Pointer md5, long size, PointerByReference error);

        int libewf_handle_get_sha1_hash(Pointer handle, Pointer sha1, long size, PointerByReference error);

        int libewf_handle_close(Pointer handle, PointerByReference error);

        int libewf_handle_free(PointerByReference handle, PointerByReference error);

        int libewf_error_sprint(Pointer error, Pointer text, long size);

        void libewf_error_free(PointerByReference error);
    }

    private static volatile Lib lib;

    private Ewf() {
    }

    private static synchronized Lib library() {
        if (lib == null) {
            org.triage.jna.JnaSetup.init();
            lib = Native.load(System.getProperty("triage.libewf", "libewf.so.2"), Lib.class);
        }
        return lib;
    }

    /**
     * The stored MD5 and SHA-1 (lower-case hex, either null when the image holds none). Never
     * throws: when libewf is missing or the segments cannot be opened, both are null and the
     * reason is logged.
     */
    static String[] storedHashes(List<String> segments) {
        String[] out = new String[2];
        Lib l;
        try {
            l = library();
        } catch (UnsatisfiedLinkError e) {
            LOG.log(System.Logger.Level.WARNING, "cannot read stored EWF hashes: libewf.so.2 is not installed"
                    + " (on Debian: apt-get install libewf2)");
            return out;
        }
        PointerByReference handle = new PointerByReference();
        PointerByReference error = new PointerByReference();
        if (l.libewf_handle_initialize(handle, error) != 1) {
            LOG.log(System.Logger.Level.WARNING, "libewf: " + describe(l, error));
            return out;
        }
        try {
            if (l.libewf_handle_open(handle.getValue(), segments.toArray(new String[0]), segments.size(), ACCESS_READ, error) != 1) {
                LOG.log(System.Logger.Level.WARNING, "libewf cannot open " + segments.get(0) + ": " + describe(l, error));
                return out;
            }
            try (Memory buf = new Memory(20)) {
                if (l.libewf_handle_get_md5_hash(handle.getValue(), buf, 16, error) == 1) {
                    out[0] = HexFormat.of().formatHex(buf.getByteArray(0, 16));
                } else {
                    describe(l, error);
                }
                if (l.libewf_handle_get_sha1_hash(handle.getValue(), buf, 20, error) == 1) {
                    out[1] = HexFormat.of().formatHex(buf.getByteArray(0, 20));
                } else {
                    describe(l, error);
                }
            }
            l.libewf_handle_close(handle.getValue(), error);
            describe(l, error);
            return out;
        } finally {
            l.libewf_handle_free(handle, error);
            describe(l, error);
        }
    }

    /** The error's text, then frees it; "" when no error was set. */
    private static String describe(Lib l, PointerByReference error) {
        Pointer e = error.getValue();
        if (e == null) return "";
        try (Memory text = new Memory(1024)) {
            l.libewf_error_sprint(e, text, 1024);
            return text.getString(0);
        } finally {
            l.libewf_error_free(error);
            error.setValue(null);
        }
    }
}
