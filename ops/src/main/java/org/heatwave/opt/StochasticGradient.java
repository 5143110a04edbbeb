package org.heatwave.opt;

import java.util.HashMap;
import java.util.Map;
import org.heatwave.linalg.Vectors;

/**
 * First-order training on mini-batches: iteration {@code t} evaluates the gradient on batch
 * {@code t mod (N/B)} of epoch {@code t div (N/B)} ({@link Sampler}) and applies an {@link UpdateRule}
 * (SGD with momentum or Nesterov, {@link SgdMomentum}; {@link Adam}) with the learning rate of a
 * {@link LearningRate} schedule. Each iteration processes {@code B} examples, as seen on data pass {@code epoch}
 * ({@link SampledObjective#on(int[], long)}: an augmented objective draws each example's transform per epoch).
 */
public final class StochasticGradient<S> implements Optimizer {
    private final String name;
    private final UpdateRule<S> rule;
    private final Sampler sampler;
    private final LearningRate rate;

    public StochasticGradient(String name, UpdateRule<S> rule, Sampler sampler, LearningRate rate) {
        this.name = name;
        this.rule = rule;
        this.sampler = sampler;
        this.rate = rate;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Result minimize(SampledObjective f, double[] x, Budget budget, Listener listener, OptimizerState resume) {
        requireExamples(f, sampler);
        Counted.Tally tally = new Counted.Tally();
        S state = rule.initial(x.length);
        int perEpoch = sampler.stepsPerEpoch();
        int[] order = null;
        long t = 0;
        if (resume != null) {
            resume.requireFor(name, x.length);
            state = rule.restore(resume);
            t = resume.iteration();
            tally.restore(resume.examples());
        }
        while (!budget.spent(t, tally.passes(f.examples()))) {
            int epoch = (int) (t / perEpoch), step = (int) (t % perEpoch);
            if (step == 0 || order == null) {
                order = sampler.order(epoch);
            }
            int[] batch = sampler.batch(order, step);
            tally.iteration("epoch " + (epoch + 1) + " · step " + (step + 1) + "/" + perEpoch);
            Evaluation e = new Counted(f, batch, epoch, tally).evaluate(x);
            double lr = rate.at(t);
            if (!Double.isFinite(e.value())) {
                throw new IllegalStateException(name + " diverged at iteration " + (t + 1) + ": loss " + e.value()
                        + "; lower the learning rate (now " + lr + ")");
            }
            double[] before = x.clone();
            state = rule.step(x, e.gradient(), state, lr);
            f.project(x);
            t++;
            final S after = state;
            final long done = t;
            Map<String, Double> diagnostics = new HashMap<>(e.diagnostics());
            diagnostics.put("learning_rate", lr);
            Iteration it = new Iteration(t, e.value(), Vectors.norm(e.gradient()), Vectors.norm(Vectors.minus(x, before)), 0,
                    Double.NaN, 0, tally.passes(f.examples()), diagnostics);
            if (!listener.iteration(it, x, () -> rule.save(after, name, done, tally.examples()))) {
                return new Result(t, tally.passes(f.examples()), "stopped by listener");
            }
        }
        return new Result(t, tally.passes(f.examples()), "budget");
    }

    static void requireExamples(SampledObjective f, Sampler sampler) {
        if (sampler.examples() != f.examples()) {
            throw new IllegalArgumentException("the sampler draws from " + sampler.examples() + " examples but the objective has "
                    + f.examples());
        }
    }
}
