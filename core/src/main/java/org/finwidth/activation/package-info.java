/**
 * The activations: {@link org.finwidth.activation.Activation} (sealed: one record per catalogue
 * activation with value, first and second derivative, kinks, Taylor data at 0, homogeneity), the
 * spec parser ({@code relu}, {@code swish:T=0.5}, {@code expr:...}, {@code class:...}), {@link
 * org.finwidth.activation.Catalogue}, which lists the catalogue with its parameters, and the two
 * ways to bring one's own: {@link org.finwidth.activation.CustomActivation} (a class) and {@link
 * org.finwidth.activation.Formula} (a formula).
 */
package org.finwidth.activation;
