package org.triage.signature;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.imageio.ImageIO;
import org.triage.model.ContentType;

/**
 * Files of every type the scan recognises. Pictures the JDK can encode are encoded for real
 * (ImageIO); the others are written from their specifications: the WebP RIFF container with a
 * VP8L header, ISO base media {@code ftyp} boxes (ISO/IEC 14496-12, HEIF brands from 23008-12),
 * the AVI RIFF header, and the Matroska/WebM EBML header.
 */
final class MediaSamples {
    private MediaSamples() {
    }

    static Map<ContentType, byte[]> all() throws IOException {
        Map<ContentType, byte[]> m = new LinkedHashMap<>();
        BufferedImage img = picture();
        m.put(ContentType.JPEG, encode(img, "jpeg"));
        m.put(ContentType.PNG, encode(img, "png"));
        m.put(ContentType.GIF, encode(img, "gif"));
        m.put(ContentType.BMP, encode(img, "bmp"));
        m.put(ContentType.TIFF, encode(img, "tiff"));
        m.put(ContentType.WEBP, webp());
        m.put(ContentType.HEIF, ftyp("heic", "mif1", "heic"));
        m.put(ContentType.MP4, ftyp("isom", "isom", "iso2", "avc1", "mp41"));
        m.put(ContentType.MOV, ftyp("qt  ", "qt  "));
        m.put(ContentType.AVI, avi());
        m.put(ContentType.MKV, ebml("matroska"));
        m.put(ContentType.WEBM, ebml("webm"));
        return m;
    }

    /** What libmagic's {@code file --mime-type} says for each type (any of the names). */
    static String[] mimes(ContentType t) {
        return switch (t) {
            case JPEG -> new String[] {"image/jpeg"};
            case PNG -> new String[] {"image/png"};
            case GIF -> new String[] {"image/gif"};
            case BMP -> new String[] {"image/bmp", "image/x-ms-bmp"};
            case TIFF -> new String[] {"image/tiff"};
            case WEBP -> new String[] {"image/webp"};
            case HEIF -> new String[] {"image/heic", "image/heif"};
            case MP4 -> new String[] {"video/mp4"};
            case MOV -> new String[] {"video/quicktime"};
            case AVI -> new String[] {"video/x-msvideo"};
            case MKV -> new String[] {"video/x-matroska"};
            case WEBM -> new String[] {"video/webm"};
            case OTHER -> new String[] {"text/plain", "application/octet-stream"};
            case DISK_IMAGE -> new String[] {"application/octet-stream"};
        };
    }

    private static BufferedImage picture() {
        BufferedImage img = new BufferedImage(32, 24, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.ORANGE);
        g.fillRect(0, 0, 32, 24);
        g.setColor(Color.BLUE);
        g.fillOval(4, 4, 16, 12);
        g.dispose();
        return img;
    }

    private static byte[] encode(BufferedImage img, String format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (!ImageIO.write(img, format, out)) throw new IOException("no ImageIO writer for " + format);
        return out.toByteArray();
    }

    /** RIFF/WEBP with a VP8L (lossless) chunk: signature 0x2F, then 14-bit width-1 and height-1. */
    private static byte[] webp() {
        byte[] vp8l = {0x2F, 31, 0x70, 0x05, 0x00, 0, 0, 0, 0, 0};
        ByteBuffer b = ByteBuffer.allocate(12 + 8 + vp8l.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(ascii("RIFF")).putInt(4 + 8 + vp8l.length).put(ascii("WEBP"));
        b.put(ascii("VP8L")).putInt(vp8l.length).put(vp8l);
        return b.array();
    }

    /** An ftyp box (major brand, minor version, compatible brands), then free and mdat boxes. */
    private static byte[] ftyp(String major, String... compatible) {
        int size = 16 + 4 * compatible.length;
        ByteBuffer b = ByteBuffer.allocate(size + 8 + 16).order(ByteOrder.BIG_ENDIAN);
        b.putInt(size).put(ascii("ftyp")).put(ascii(major)).putInt(0x200);
        for (String c : compatible) b.put(ascii(c));
        b.putInt(8).put(ascii("free"));
        b.putInt(16).put(ascii("mdat")).putLong(0x0123456789ABCDEFL);
        return b.array();
    }

    /** RIFF 'AVI ' with a LIST 'hdrl' holding an empty 56-byte 'avih' main header. */
    private static byte[] avi() {
        ByteBuffer b = ByteBuffer.allocate(12 + 12 + 8 + 56).order(ByteOrder.LITTLE_ENDIAN);
        b.put(ascii("RIFF")).putInt(4 + 12 + 8 + 56).put(ascii("AVI "));
        b.put(ascii("LIST")).putInt(4 + 8 + 56).put(ascii("hdrl"));
        b.put(ascii("avih")).putInt(56).putInt(33333); // microseconds per frame, the rest zero
        return b.array();
    }

    /** EBML header (RFC 8794) with a DocType, then the start of a Segment of unknown size. */
    private static byte[] ebml(String docType) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(new byte[] {0x42, (byte) 0x86, (byte) 0x81, 1}); // EBMLVersion 1
        body.writeBytes(new byte[] {0x42, (byte) 0xF7, (byte) 0x81, 1}); // EBMLReadVersion 1
        body.writeBytes(new byte[] {0x42, (byte) 0xF2, (byte) 0x81, 4}); // EBMLMaxIDLength 4
        body.writeBytes(new byte[] {0x42, (byte) 0xF3, (byte) 0x81, 8}); // EBMLMaxSizeLength 8
        body.writeBytes(new byte[] {0x42, (byte) 0x82, (byte) (0x80 | docType.length())});
        body.writeBytes(ascii(docType));
        body.writeBytes(new byte[] {0x42, (byte) 0x87, (byte) 0x81, 4}); // DocTypeVersion 4
        body.writeBytes(new byte[] {0x42, (byte) 0x85, (byte) 0x81, 2}); // DocTypeReadVersion 2
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {0x1A, 0x45, (byte) 0xDF, (byte) 0xA3, (byte) (0x80 | body.size())});
        out.writeBytes(body.toByteArray());
        out.writeBytes(new byte[] {0x18, 0x53, (byte) 0x80, 0x67, 0x01, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF,
            (byte) 0xFF, (byte) 0xFF, (byte) 0xFF});
        return out.toByteArray();
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
