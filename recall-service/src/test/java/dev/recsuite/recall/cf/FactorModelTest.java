package dev.recsuite.recall.cf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FactorModelTest {

  // 2 users and 3 items of 2 factors.
  private final FactorModel model =
      new FactorModel(2, new float[] {1, 2, 0, -1}, new float[] {3, 4, 0.5f, 0, -2, 1});

  @Test
  void counts_followTheArrayLengths() {
    assertThat(model.userCount()).isEqualTo(2);
    assertThat(model.itemCount()).isEqualTo(3);
  }

  @Test
  void score_isTheDotProductOfTheVectors() {
    assertThat(model.score(0, 0)).isEqualTo(11f);
    assertThat(model.score(1, 2)).isEqualTo(-1f);
    assertThat(model.score(new float[] {2, 0}, 1)).isEqualTo(1f);
  }

  @Test
  void userVector_isACopy() {
    float[] vector = model.userVector(1);
    vector[0] = 99;

    assertThat(model.userVector(1)).containsExactly(0f, -1f);
    assertThat(model.itemVector(2)).containsExactly(-2f, 1f);
  }

  @Test
  void score_userOutOfRange_fails() {
    assertThatThrownBy(() -> model.score(2, 0)).isInstanceOf(IndexOutOfBoundsException.class);
  }

  @Test
  void score_userVectorOfWrongLength_failsNamingTheLength() {
    assertThatThrownBy(() -> model.score(new float[3], 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("userVector: length 3 (expected: 2)");
  }

  @Test
  void constructor_itemFactorsNotAMultipleOfFactors_failsNamingTheLength() {
    assertThatThrownBy(() -> new FactorModel(2, new float[2], new float[5]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("itemFactors: length 5 (expected: a multiple of factors 2)");
  }

  @Test
  void equals_comparesContents() {
    FactorModel same =
        new FactorModel(2, new float[] {1, 2, 0, -1}, new float[] {3, 4, 0.5f, 0, -2, 1});

    assertThat(same).isEqualTo(model).hasSameHashCodeAs(model);
    assertThat(same.toString()).isEqualTo("FactorModel[factors=2, users=2, items=3]");
  }
}
