package org.triage.cli;

import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * The synthetic pictures of the demo and benchmark corpora: an RGB picture filled with a gradient
 * between two random colours (top left to bottom right), and the shapes the caller draws on it,
 * antialiased. The colours are drawn from the caller's generator before the shapes, so a seed gives
 * the same picture every run.
 */
final class GradientPicture {
    private GradientPicture() {
    }

    static BufferedImage draw(int w, int h, RandomGenerator rnd, Consumer<Graphics2D> shapes) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setPaint(new GradientPaint(0, 0, color(rnd), w, h, color(rnd)));
            g.fillRect(0, 0, w, h);
            shapes.accept(g);
        } finally {
            g.dispose();
        }
        return img;
    }

    /** An opaque colour, each channel drawn from {@code rnd}. */
    static Color color(RandomGenerator rnd) {
        return new Color(rnd.nextInt(256), rnd.nextInt(256), rnd.nextInt(256));
    }
}
