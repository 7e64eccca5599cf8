/**
 * The activation catalogue: {@link org.finwidth.activation.Activation} (a sealed interface with
 * one record per activation: value, first and second derivative, kinks, Taylor data at 0,
 * homogeneity), the spec parser ({@code relu}, {@code swish:T=0.5}, ...), and {@link
 * org.finwidth.activation.Catalogue}, which lists every activation with its parameters.
 */
package org.finwidth.activation;
