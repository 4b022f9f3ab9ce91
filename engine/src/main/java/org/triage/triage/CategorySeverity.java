package org.triage.triage;

import org.triage.model.CategoryTable;

/**
 * How serious a category is, for ranking devices within a priority level: higher is worse. Reads
 * the one {@link CategoryTable} (UK A &gt; B &gt; C, VICS 1 &gt; 2, 3; non-pertinent and unknown 0).
 */
public final class CategorySeverity {
    private CategorySeverity() {
    }

    public static int of(String category) {
        return CategoryTable.defaults().severity(category);
    }
}
