package org.triage.picture;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A child JVM's main for {@link DecoderMemoryTest}: decodes each file named on the command line
 * with one decoder from {@link PictureDecoders#create()} and prints one line per file,
 * {@code name TAB decoded TAB format TAB WxH TAB 1/scale} or {@code name TAB refused TAB reason};
 * anything else thrown (an OutOfMemoryError above all) is printed as {@code name TAB thrown TAB ...}
 * and the JVM exits 3.
 */
public final class DecodeInChild {
    private DecodeInChild() {
    }

    public static void main(String[] args) throws Exception {
        int status = 0;
        try (PictureDecoder decoder = PictureDecoders.create()) {
            for (String arg : args) {
                Path file = Path.of(arg);
                String name = file.getFileName().toString();
                try {
                    DecodedPicture p = decoder.decode(ByteBuffer.wrap(Files.readAllBytes(file)));
                    System.out.println(name + "\tdecoded\t" + p.format() + "\t" + p.width() + "x" + p.height() + "\t1/" + p.scale());
                } catch (PictureException e) {
                    System.out.println(name + "\trefused\t" + e.getMessage().replace('\n', ' '));
                } catch (Throwable t) {
                    System.out.println(name + "\tthrown\t" + t);
                    status = 3;
                }
                System.out.flush();
            }
        }
        System.exit(status);
    }
}
