/**
 * Optimisation: {@link org.cxrclip.train.optim.AdamW} and {@link org.cxrclip.train.optim.Sgd} over a module's named
 * parameters (torch semantics, in place, outside autograd), their exportable
 * {@link org.cxrclip.train.optim.OptimizerState}, learning-rate schedules ({@link org.cxrclip.train.optim.LrSchedule},
 * {@link org.cxrclip.train.optim.WarmupCosine}, {@link org.cxrclip.train.optim.OneCycle},
 * {@link org.cxrclip.train.optim.ReduceLrOnPlateau}) and gradient utilities ({@link org.cxrclip.train.optim.GradClip},
 * {@link org.cxrclip.train.optim.GradAccumulation}, {@link org.cxrclip.train.optim.Freezing}).
 */
package org.cxrclip.train.optim;
