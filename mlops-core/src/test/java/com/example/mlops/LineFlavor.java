package com.example.mlops;

import org.mlops4j.core.model.BundleIntegrityException;
import org.mlops4j.core.model.Model;
import org.mlops4j.core.model.ModelSignature;
import org.mlops4j.core.model.spi.ModelFlavor;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/** A flavor written outside mlops4j: the line as three lines of text in {@code line.txt}. */
public final class LineFlavor implements ModelFlavor {
    static final String NAME = "example-line";
    private static final String FILE = "line.txt";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, byte[]> write(Model model) {
        LineTrainer.Line line = (LineTrainer.Line) model;
        String text = line.feature() + "\n" + Double.toHexString(line.slope()) + "\n" + Double.toHexString(line.intercept()) + "\n";
        return Map.of(FILE, text.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public Model read(Map<String, byte[]> files, ModelSignature signature, String where) {
        byte[] bytes = files.get(FILE);
        if (bytes == null) {
            throw new BundleIntegrityException(where + ": no " + FILE);
        }
        String[] lines = new String(bytes, StandardCharsets.UTF_8).split("\n");
        if (lines.length != 3) {
            throw new BundleIntegrityException(where + ": " + FILE + " has " + lines.length + " lines, expected 3");
        }
        return new LineTrainer.Line(signature.features(), lines[0], Double.parseDouble(lines[1]),
                Double.parseDouble(lines[2]));
    }
}
