package org.mlops4j.core.data;

import java.nio.file.Path;

/** Reads each file given with the default limits and prints how it ended: {@code REFUSED <file> <ms> <message>}. */
public final class CsvBombChild {
    private CsvBombChild() {
    }

    /**
     * @param args the files
     */
    public static void main(String[] args) {
        for (String f : args) {
            long t0 = System.nanoTime();
            try {
                Dataset d = Csv.file(Path.of(f)).load();
                System.out.println("READ " + f + " " + d.rowCount());
            } catch (InvalidDataException e) {
                System.out.println("REFUSED " + Path.of(f).getFileName() + " " + (System.nanoTime() - t0) / 1_000_000 + " " + e.getMessage());
            } catch (Throwable t) {
                System.out.println("FAILED " + f + " " + t);
            }
        }
    }
}
