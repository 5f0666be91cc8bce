/**
 * Training losses: CLIP's symmetric InfoNCE with a learnable logit scale ({@link org.cxrclip.train.loss.InfoNceLoss},
 * {@link org.cxrclip.train.loss.LogitScale}), the CXR-CML triplet loss on pseudo-labels
 * ({@link org.cxrclip.train.loss.TripletLoss}), their sum ({@link org.cxrclip.train.loss.CxrCmlLoss}) and multi-label
 * BCE with logits for fine-tuning ({@link org.cxrclip.train.loss.BceWithLogitsLoss}). Each forward returns a scalar
 * tensor (shape []) on the engine's autograd graph. Composite where the engine's ops suffice; the triplet
 * selection and BCE are small fused nodes (see their headers for why).
 */
package org.cxrclip.train.loss;
