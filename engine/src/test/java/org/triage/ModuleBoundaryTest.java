package org.triage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.module.ModuleDescriptor;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The engine's API is what its module exports, and nothing of the inside shows through it. The
 * compiler checks the second with -Xlint:exports; this test checks both from the built classes, so
 * that a change to the module descriptor or the build is caught too.
 */
class ModuleBoundaryTest {
    private static final Set<String> API = Set.of("org.triage", "org.triage.model", "org.triage.priority",
            "org.triage.report", "org.triage.store", "org.triage.acquire");

    @Test
    void theEngineIsANamedModuleExportingOnlyItsApi() {
        Module engine = Triage.class.getModule();
        assertTrue(engine.isNamed(), "the tests run the engine as a module");
        assertEquals("org.triage.engine", engine.getName());
        ModuleDescriptor d = engine.getDescriptor();
        Set<String> open = d.exports().stream().filter(e -> !e.isQualified()).map(ModuleDescriptor.Exports::source)
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(new TreeSet<>(API), open);
        for (ModuleDescriptor.Exports e : d.exports()) {
            if (e.isQualified()) assertEquals(Set.of("org.triage.benchmarks"), e.targets(), e.source());
        }
    }

    @Test
    void noPublicSignatureInTheApiNamesAnInternalType() throws Exception {
        List<String> leaks = new ArrayList<>();
        for (Class<?> c : apiClasses()) {
            if (!Modifier.isPublic(c.getModifiers())) continue;
            for (Method m : c.getDeclaredMethods()) {
                if (!visible(m.getModifiers()) || m.isSynthetic()) continue;
                check(leaks, c.getName() + "." + m.getName(), m.getGenericReturnType());
                for (Type t : m.getGenericParameterTypes()) check(leaks, c.getName() + "." + m.getName(), t);
                for (Type t : m.getGenericExceptionTypes()) check(leaks, c.getName() + "." + m.getName(), t);
            }
            for (Constructor<?> k : c.getDeclaredConstructors()) {
                if (!visible(k.getModifiers())) continue;
                for (Type t : k.getGenericParameterTypes()) check(leaks, c.getName() + ".<init>", t);
            }
            for (Field f : c.getDeclaredFields()) {
                if (visible(f.getModifiers())) check(leaks, c.getName() + "." + f.getName(), f.getGenericType());
            }
            Type sup = c.getGenericSuperclass();
            if (sup != null) check(leaks, c.getName() + " extends", sup);
            for (Type t : c.getGenericInterfaces()) check(leaks, c.getName() + " implements", t);
        }
        assertTrue(internalPrefixes().contains("org.triage.pdq."), "internal packages come from the module: " + internalPrefixes());
        assertEquals(List.of(), leaks, "exported signatures naming internal types");
    }

    private static boolean visible(int modifiers) {
        return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
    }

    /** Every class of the exported packages, from the engine's class directory. */
    private static List<Class<?>> apiClasses() throws Exception {
        Path root = Path.of(Triage.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<Class<?>> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".class")).toList()) {
                String rel = root.relativize(f).toString();
                if (rel.equals("module-info.class")) continue;
                String name = rel.substring(0, rel.length() - ".class".length()).replace('/', '.');
                String pkg = name.substring(0, name.lastIndexOf('.'));
                if (API.contains(pkg)) out.add(Class.forName(name, false, Triage.class.getClassLoader()));
            }
        }
        assertTrue(out.size() > 20, "found the API's classes: " + out.size());
        return out;
    }

    /** Every package of the engine that is not API, and JNA's (native pointers are never API). */
    private static List<String> internalPrefixes() {
        List<String> out = new ArrayList<>(List.of("com.sun.jna."));
        for (String pkg : Triage.class.getModule().getPackages()) {
            if (!API.contains(pkg)) out.add(pkg + ".");
        }
        return out;
    }

    private static void check(List<String> leaks, String where, Type t) {
        String text = t.getTypeName();
        for (String internal : internalPrefixes()) {
            // a prefix of an API package's classes ("org.triage." for "org.triage.model.X") is not a leak
            if (text.matches("(?s).*\\b" + java.util.regex.Pattern.quote(internal) + "[A-Z].*")) {
                leaks.add(where + ": " + text);
            }
        }
    }
}
