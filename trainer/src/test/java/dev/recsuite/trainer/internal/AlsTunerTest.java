package dev.recsuite.trainer.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recsuite.core.data.Dataset;
import dev.recsuite.core.split.LeaveLastOut;
import dev.recsuite.core.split.TrainTestSplit;
import dev.recsuite.datasets.synthetic.SyntheticData;
import dev.recsuite.datasets.synthetic.SyntheticSpec;
import dev.recsuite.recall.cf.AlsParameters;
import java.util.List;
import org.junit.jupiter.api.Test;

class AlsTunerTest {

  private final Dataset data = SyntheticData.generate(SyntheticSpec.defaults().withSize(300, 300, 40));
  private final TrainTestSplit split = new LeaveLastOut(3).split(data.interactions());
  private final Dataset fit = data.withInteractions(split.train());
  private final AlsParameters base = AlsParameters.defaults().withIterations(6).withThreads(2);

  @Test
  void grid_coversFactorsRegularisationAndAlphaAroundTheBase() {
    List<AlsParameters> grid = AlsTuner.grid(base);

    assertThat(grid).hasSize(27).allSatisfy(p -> assertThat(p.iterations()).isEqualTo(6));
    assertThat(grid).extracting(AlsParameters::factors).containsOnly(32, 64, 128);
    assertThat(grid).extracting(AlsParameters::regularization).containsOnly(0.1, 1.0, 10.0);
  }

  @Test
  void tune_ranksTrialsBestFirstAndPrefersALearningModelOverAStarvedOne() {
    AlsParameters starved = base.withFactors(1).withRegularization(10_000).withIterations(1);
    AlsParameters reasonable = base.withFactors(16);

    List<AlsTuner.Trial> trials = new AlsTuner().tune(fit, split.holdout(), List.of(starved, reasonable));

    assertThat(trials).extracting(AlsTuner.Trial::parameters).containsExactly(reasonable, starved);
    assertThat(trials.get(0).ndcg()).isGreaterThan(trials.get(1).ndcg() * 1.5);
    assertThat(trials.get(0).hitRate()).isBetween(0.0, 1.0);
  }
}
