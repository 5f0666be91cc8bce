/**
 * Datasets, losses (InfoNCE, triplet), optimisers, trainers and metrics for CLS and CXR-CML. Filled by issues 5 and 6.
 */
package org.cxrclip.train;
