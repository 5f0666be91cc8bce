/**
 * Mixture models fitted by EM on embeddings (Gaussian, Student-t) whose clusters give CXR-CML its pseudo-labels. Filled by issue 4.
 */
package org.cxrclip.clustering;
