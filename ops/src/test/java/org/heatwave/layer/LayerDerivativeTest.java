package org.heatwave.layer;

import java.util.List;
import java.util.stream.Stream;
import org.heatwave.act.Activation;
import org.heatwave.block.ParabolicBlock;
import org.heatwave.block.TimeWeights;
import org.heatwave.conv.Boundary;
import org.heatwave.kernels.LeanModel;
import org.heatwave.kernels.SeparableModel;
import org.heatwave.kernels.StencilModels;
import org.heatwave.net.Blocks;
import org.heatwave.net.Network;
import org.heatwave.net.Sequential;
import org.heatwave.testkit.DerivativeCheck;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every layer and block passes the shared derivative kit: configured instances only. */
class LayerDerivativeTest {

    static Stream<Arguments> layers() {
        Geometry g = new Geometry(6, 6, 3);
        return Stream.of(
                Arguments.of(new ConvNormAct(new Geometry(8, 8, 1), 4, 3, Activation.TANH)),
                Arguments.of(new ConvNormAct(g, 5, 1, Activation.TANH)),
                Arguments.of(new ConvNormAct(new Geometry(7, 5, 2), 3, 3, Activation.IDENTITY)),
                Arguments.of(new ConvLayer(new Geometry(7, 6, 2), 3, 3, Boundary.ZERO, 1)),
                Arguments.of(new ConvLayer(new Geometry(8, 7, 2), 3, 5, Boundary.PERIODIC, 2)),
                Arguments.of(new ConvLayer(new Geometry(7, 8, 3), 2, 3, Boundary.ZERO, 2)),
                Arguments.of(new ConvLayer(new Geometry(8, 8, 6), 4, 1, Boundary.ZERO, 2)),
                // shapes the automatic choice computes by the direct method (ConvolutionTest pins the choice)
                Arguments.of(new ConvNormAct(new Geometry(10, 11, 16), 16, 3, Activation.TANH)),
                Arguments.of(new ConvLayer(new Geometry(12, 10, 16), 32, 3, Boundary.PERIODIC, 2)),
                Arguments.of(new ConvNormAct(new Geometry(6, 7, 2), 3, 3, Activation.TANH, Normalization.LAYER)),
                Arguments.of(new ConvNormAct(new Geometry(6, 5, 2), 3, 3, Activation.TANH, Normalization.BATCH)),
                Arguments.of(new ConvNormAct(new Geometry(6, 6, 2), 3, 3, Activation.SMOOTH_RELU)),
                Arguments.of(new ConvLayer(new Geometry(7, 6, 3), StencilModels.antisymmetric(3, 3), Boundary.PERIODIC, 1)),
                Arguments.of(new ConvLayer(new Geometry(6, 6, 3), new LeanModel(4, 3, 3, true), Boundary.ZERO, 1)),
                Arguments.of(new ConvLayer(new Geometry(6, 7, 2), new SeparableModel(3, 2, 3), Boundary.PERIODIC, 2)),
                Arguments.of(new ConvSolve(new Geometry(6, 7, 3), ConvSolve.Kind.INVERSE, 3, 3, 0)),
                Arguments.of(new ConvSolve(new Geometry(7, 6, 2), ConvSolve.Kind.SHIFTED_NORMAL, 3, 3, 2.0)),
                Arguments.of(new AveragePool(g)),
                Arguments.of(new ChannelStandardization(g, new double[]{0.2, -0.1, 0.5}, new double[]{0.3, 1.5, 0.7})),
                Arguments.of(new GlobalAveragePool(g)),
                Arguments.of(new Affine(new Geometry(1, 1, 6), 4)),
                // the classifier is bilinear in (W, Y): alone its Taylor remainder meets float32 noise after two
                // halvings, so the kit checks it behind a nonlinear layer
                Arguments.of(new Sequential(List.of(new ConvNormAct(new Geometry(5, 4, 2), 3, 3, Activation.TANH),
                        new FullClassifier(new Geometry(5, 4, 3), 4)))),
                Arguments.of(new ParabolicBlock(g, 3, 3, 0.25, Activation.TANH)),
                // (½(K − Kᵀ) halves the pre-activations: fixtures where tanh bends enough above float32 noise)
                Arguments.of(new AntisymmetricLayer(new Geometry(8, 8, 4), 3, 0.2, Activation.TANH)),
                Arguments.of(new AntisymmetricLayer(new Geometry(6, 7, 3), 5, 0.2, Activation.TANH)),
                Arguments.of(Blocks.resnet(g, 3, Activation.TANH, Normalization.INSTANCE, TimeWeights.perStep(3), 0.3)),
                Arguments.of(Blocks.resnet(new Geometry(5, 6, 2), 3, Activation.TANH, Normalization.LAYER,
                        TimeWeights.hats(4, 2), 0.4)),
                Arguments.of(Blocks.antisymmetric(g, 3, 0.1, Activation.TANH, TimeWeights.constant(3), 0.3)),
                Arguments.of(Blocks.antisymmetric(new Geometry(6, 5, 4), 3, 0, Activation.TANH, TimeWeights.perStep(2), 0.5)),
                Arguments.of(Blocks.imex(g, 3, Activation.TANH, Normalization.INSTANCE, false, TimeWeights.perStep(2), 0.4)),
                Arguments.of(Blocks.lean(new Geometry(7, 6, 4), Activation.TANH, Normalization.INSTANCE, TimeWeights.perStep(2), 0.8)),
                // 4 -> 8 channels: with 4 -> 4 this fixture's directional derivative nearly cancels (0.07 against
                // terms of order 1) and float32 noise swamps the central difference.
                Arguments.of(new ConvNormAct(new Geometry(8, 8, 4), new LeanModel(8, 4, 3, true), Activation.TANH,
                        Normalization.LAYER)),
                Arguments.of(Blocks.imex(new Geometry(7, 6, 4), 3, Activation.TANH, Normalization.LAYER, true,
                        TimeWeights.constant(3), 0.8)),
                Arguments.of(new ConvSolve(new Geometry(6, 5, 3), ConvSolve.Kind.SHIFTED_NORMAL, StencilModels.diagonal(3, 3), 1.5)),
                Arguments.of(new SymmetricLayer(new Geometry(6, 7, 3), 3, Activation.TANH, Normalization.INSTANCE)),
                Arguments.of(new SymmetricLayer(new Geometry(7, 6, 3), 3, Activation.TANH, null)),
                Arguments.of(new ConvActLayer(new Geometry(6, 6, 3), 3, Activation.TANH, false)),
                Arguments.of(new ConvActLayer(new Geometry(6, 6, 3), 3, Activation.TANH, true)),
                Arguments.of(Blocks.hamiltonian(g, 3, Activation.TANH, Normalization.INSTANCE, TimeWeights.perStep(3), 0.3, false)),
                Arguments.of(Blocks.hamiltonian(g, 3, Activation.TANH, null, TimeWeights.constant(3), 0.3, true)),
                Arguments.of(Blocks.verlet(new Geometry(8, 7, 4), 3, Activation.TANH, TimeWeights.perStep(3), 0.9, false)),
                Arguments.of(Blocks.leapfrog(g, 3, Activation.TANH, Normalization.LAYER, TimeWeights.hats(4, 2), 0.4, false)),
                Arguments.of(Blocks.leapfrog(g, 3, Activation.TANH, null, TimeWeights.perStep(3), 0.4, true)),
                Arguments.of(new ParabolicBlock(new Geometry(7, 7, 4), 3, 2, 0.3, Activation.IDENTITY)),
                Arguments.of(new ParabolicBlock(new Geometry(6, 5, 3), 3, 3, 0.3, Activation.TANH, false)),
                Arguments.of(Network.parabolic(new Geometry(8, 8, 1), new int[] {3, 4}, 2, 0.5, Activation.TANH,
                        Activation.TANH, 5).body()));
    }

    static Stream<Arguments> piecewiseSmooth() {
        return Stream.of(
                Arguments.of(new ConvNormAct(new Geometry(8, 8, 1), 4, 3, Activation.RELU)),
                Arguments.of(new MaxPool(new Geometry(6, 8, 3))),
                // The M-matrix centre sums all of a row's couplings, so |K(θ)| ≫ |K(v)|: float32 noise leaves only
                // two halvings of the Taylor window (both of order 2.0); Q and Qᵀ are checked in float64 by
                // StencilModelsTest, the layer here by adjoint test and central differences.
                Arguments.of(new ConvLayer(new Geometry(8, 8, 3), StencilModels.mMatrix(3, 3), Boundary.ZERO, 1)),
                Arguments.of(new ParabolicBlock(new Geometry(6, 6, 3), 3, 2, 0.3, Activation.SMOOTH_RELU)),
                Arguments.of(new ParabolicBlock(new Geometry(7, 7, 4), 3, 2, 0.3, Activation.RELU)),
                Arguments.of(Network.parabolic(new Geometry(8, 8, 1), new int[] {3, 4}, 2, 0.5, Activation.TANH, 5).body()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("piecewiseSmooth")
    void reluLayersPassAdjointAndCentralDifference(Layer layer) {
        new DerivativeCheck(layer, 3, 4321).piecewiseSmooth();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("layers")
    void passesTheKit(Layer layer) {
        new DerivativeCheck(layer, 3, 1234).all();
    }

    static List<Layer> tiny() {
        return List.of(
                new ConvNormAct(new Geometry(4, 4, 2), 2, 3, Activation.TANH),
                new ParabolicBlock(new Geometry(4, 3, 2), 3, 2, 0.5, Activation.TANH),
                new Affine(new Geometry(1, 1, 3), 2),
                new AveragePool(new Geometry(4, 4, 2)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tiny")
    void denseJacobian(Layer layer) {
        new DerivativeCheck(layer, 2, 99).dense();
    }
}
