import java.awt.image.BufferedImage;
import java.io.File;
import java.util.HashSet;
import java.util.Set;
import javax.imageio.ImageIO;

/**
 * Checks that a PNG (a screenshot of a report) shows something: its size, its number of distinct
 * colours and its share of non-white pixels. Usage: java tools/PngCheck.java FILE MIN_WIDTH MIN_HEIGHT.
 * Exit code 0 if it passes, 1 if not; prints the numbers either way.
 */
public final class PngCheck {
  public static void main(String[] args) throws Exception {
    System.setProperty("java.awt.headless", "true");
    BufferedImage img = ImageIO.read(new File(args[0]));
    if (img == null) {
      System.out.println("not a decodable image: " + args[0]);
      System.exit(1);
    }
    Set<Integer> colours = new HashSet<>();
    long ink = 0;
    for (int y = 0; y < img.getHeight(); y++) {
      for (int x = 0; x < img.getWidth(); x++) {
        int rgb = img.getRGB(x, y) & 0xFFFFFF;
        colours.add(rgb);
        ink += rgb == 0xFFFFFF ? 0 : 1;
      }
    }
    double share = (double) ink / ((long) img.getWidth() * img.getHeight());
    boolean ok = img.getWidth() >= Integer.parseInt(args[1]) && img.getHeight() >= Integer.parseInt(args[2])
        && colours.size() >= 50 && share > 0.02;
    System.out.printf("%s: %dx%d, %d colours, %.1f%% non-white pixels: %s%n", args[0], img.getWidth(), img.getHeight(),
        colours.size(), 100 * share, ok ? "ok" : "FAILED");
    System.exit(ok ? 0 : 1);
  }
}
