package org.triage.triage;

import java.util.Locale;
import java.util.Map;

/**
 * How serious a category is, for ranking devices within a priority level: higher is worse.
 * The UK scheme's Category A (penetrative/sadistic) ranks above B, B above C. Anything else,
 * including no category, ranks 0 and is ordered by counts alone. One table, so that a lab's own
 * scheme is one line each.
 */
public final class CategorySeverity {
    private static final Map<String, Integer> DEFAULT = Map.of(
            "a", 3, "cat a", 3, "category a", 3,
            "b", 2, "cat b", 2, "category b", 2,
            "c", 1, "cat c", 1, "category c", 1);

    private CategorySeverity() {
    }

    public static int of(String category) {
        if (category == null) return 0;
        return DEFAULT.getOrDefault(category.trim().toLowerCase(Locale.ROOT), 0);
    }
}
