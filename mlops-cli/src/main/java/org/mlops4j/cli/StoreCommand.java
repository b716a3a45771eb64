package org.mlops4j.cli;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** A command that reads or serves a store: the shared {@code --store}/{@code --json} options and its output. */
abstract class StoreCommand implements Callable<Integer> {
    @Mixin
    StoreOptions store;
    @Spec
    CommandSpec spec;

    PrintWriter out() {
        return spec.commandLine().getOut();
    }
}
