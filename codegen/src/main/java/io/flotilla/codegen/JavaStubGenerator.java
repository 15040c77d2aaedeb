package io.flotilla.codegen;

import io.flotilla.dsl.iface.model.Interface;

/** Generates Java from a checked interface. (Being written.) */
public final class JavaStubGenerator {

    private final String packageName;

    public JavaStubGenerator(String packageName) {
        this.packageName = packageName;
    }

    public GeneratedInterface generate(Interface iface) {
        throw new UnsupportedOperationException("not yet: " + packageName);
    }
}
