/** The backend SPI: what a cloud backend implements so that core can launch runners on it. */
package io.oneshot.spi;
