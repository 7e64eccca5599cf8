/**
 * The formula language of {@code expr:} activations: the parser ({@link
 * org.finwidth.activation.expr.FormulaParser}, grammar and errors), the tree ({@link
 * org.finwidth.activation.expr.Expr}) and its double evaluators, Taylor jets and kink search
 * ({@link org.finwidth.activation.expr.CompiledFormula}); docs/theory.md §12.
 */
package org.finwidth.activation.expr;
