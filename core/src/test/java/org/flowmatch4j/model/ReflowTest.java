package org.flowmatch4j.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.flowmatch4j.data.Dataset;
import org.flowmatch4j.data.Standardization;
import org.flowmatch4j.data.ToyDatasets;
import org.flowmatch4j.eval.Wasserstein;
import org.flowmatch4j.fm.FlowMatchingTrainer;
import org.flowmatch4j.fm.ReflowPairs;
import org.flowmatch4j.fm.TrainingSettings;
import org.flowmatch4j.solver.DormandPrince54;
import org.flowmatch4j.solver.Euler;
import org.flowmatch4j.solver.Recording;
import org.flowmatch4j.tensor.Rng;
import org.flowmatch4j.train.TimeBudget;
import org.junit.jupiter.api.Test;

/** Reflow on 8 Gaussians: the student keeps the marginal and straightens the flow, so one Euler step samples well. */
class ReflowTest {
    @Test
    void reflowLowersTheOneStepW2AndKeepsTheMarginal() {
        Dataset data = ToyDatasets.generate("8gaussians", 20000, new Rng(1));
        Dataset test = ToyDatasets.generate("8gaussians", 1000, new Rng(2));
        Standardization norm = Standardization.fit(data);
        ModelConfig cfg = new ModelConfig(ModelConfig.FORMAT_VERSION, "fm", 2, 64, 3, "silu", "concat", "condot", 0.0, "velocity",
                "independent", norm.mean(), norm.std(), List.of("x0", "x1"), "8gaussians", 3, 1500, 256, 2e-3, 0, 2);
        FlowMatchingModel teacher = FlowMatchingModel.create(cfg);
        teacher.train(data, new TrainingSettings(1500, 256, 2e-3, 0, 0, 3), List.of());

        ReflowPairs pairs = ReflowPairs.generate(teacher.field(0), 10000, DormandPrince54.withTolerances(1e-4, 1e-4), new Rng(4), 5000);
        assertThat(pairs.size()).isEqualTo(10000);
        assertThat(pairs.nfe()).isPositive();
        FlowMatchingModel student = teacher.reflowStudent(5, 1500, 256, 1e-3, 0, 2);
        assertThat(student.method()).isEqualTo("reflow");
        assertThat(student.config().coupling()).isEqualTo("independent");
        FlowMatchingTrainer trainer = student.trainer(new TrainingSettings(1500, 256, 1e-3, 0, 0, 5));
        student.trainPairs(pairs, trainer, List.of());
        assertThat(trainer.step()).isEqualTo(1500);

        Wasserstein w = new Wasserstein();
        double teacher1 = w2(w, teacher, new Euler(1), test);
        double student1 = w2(w, student, new Euler(1), test);
        double teacherFine = w2(w, teacher, DormandPrince54.withTolerances(1e-5, 1e-5), test);
        double studentFine = w2(w, student, DormandPrince54.withTolerances(1e-5, 1e-5), test);
        assertThat(student1).as("one-step W2: teacher %s, student %s", teacher1, student1).isLessThan(0.5 * teacher1);
        assertThat(studentFine).as("fine-solve W2: teacher %s, student %s", teacherFine, studentFine).isLessThan(teacherFine + 0.25);
    }

    @Test
    void aTimeBudgetEndsTheRunEarly() {
        Dataset data = ToyDatasets.generate("moons", 2000, new Rng(1));
        Standardization norm = Standardization.fit(data);
        ModelConfig cfg = new ModelConfig(ModelConfig.FORMAT_VERSION, "fm", 2, 16, 2, "silu", "concat", "condot", 0.0, "velocity",
                "independent", norm.mean(), norm.std(), List.of("x0", "x1"), "moons", 3, 1_000_000, 64, 1e-3, 0, 1);
        FlowMatchingModel m = FlowMatchingModel.create(cfg);
        TimeBudget budget = new TimeBudget(0.3);
        FlowMatchingTrainer trainer = m.trainer(new TrainingSettings(1_000_000, 64, 1e-3, 0, 0, 3));
        m.train(data, trainer, List.of(budget));
        assertThat(budget.spent()).isTrue();
        assertThat(trainer.step()).isBetween(1L, 999_999L);
        assertThat(trainer.elapsedSeconds()).isGreaterThanOrEqualTo(0.3);
    }

    private static double w2(Wasserstein w, FlowMatchingModel m, org.flowmatch4j.solver.OdeSolver solver, Dataset test) {
        Samples s = m.sample(test.size(), solver, new Rng(9), Recording.none());
        return w.w2(s.values(), s.rows(), test.toArray(), test.size(), 2, new Rng(1)).value();
    }
}
