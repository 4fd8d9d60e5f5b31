//===- test/workloads/ZooTest.cpp - The model zoo reads as published ------===//
//
// Totals are checked against the figures the networks' authors and reference
// implementations publish; single layers against MACs worked out by hand.
//
//===----------------------------------------------------------------------===//
#include "workloads/LinalgImport.h"

#include <gtest/gtest.h>

namespace tessel {
namespace {

WorkloadSet readZoo(const std::string &file) {
  WorkloadSet set = importLinalgFile(std::string(TESSEL_SOURCE_DIR) +
                                     "/workloads/zoo/" + file);
  for (const Diagnostic &diagnostic : set.diagnostics)
    ADD_FAILURE() << diagnostic.format();
  return set;
}

const Problem *find(const WorkloadSet &set, const std::string &name) {
  for (const Problem &problem : set.problems)
    if (problem.name == name)
      return &problem;
  ADD_FAILURE() << "no op named " << name << " in " << set.file;
  return nullptr;
}

/// |actual - published| <= tolerance * published.
void expectNear(uint64_t actual, double published, double tolerance) {
  EXPECT_NEAR(static_cast<double>(actual), published, published * tolerance);
}

TEST(Zoo, ResNet50) {
  WorkloadSet set = readZoo("resnet50.mlir");
  EXPECT_EQ(set.problems.size(), 54u);       // 53 convolutions and the FC.
  expectNear(set.totalMacs(), 4.09e9, 0.01); // torchvision: 4.09 GMACs.
  // conv1: 112x112 outputs x 64 filters x 7x7x3 taps.
  const Problem *conv1 = find(set, "conv1");
  ASSERT_TRUE(conv1);
  EXPECT_EQ(conv1->macs(), 112ull * 112 * 64 * 7 * 7 * 3);
  EXPECT_EQ(conv1->tensors[0].projection[1].coefficientOf(1), 2); // stride 2
  const Problem *fc = find(set, "fc");
  ASSERT_TRUE(fc);
  EXPECT_EQ(fc->macs(), 2048ull * 1000);
}

TEST(Zoo, Vgg16) {
  WorkloadSet set = readZoo("vgg16.mlir");
  EXPECT_EQ(set.problems.size(), 16u);
  expectNear(set.totalMacs(), 15.5e9, 0.01); // Simonyan & Zisserman: 15.5 G.
}

TEST(Zoo, AlexNet) {
  WorkloadSet set = readZoo("alexnet.mlir");
  EXPECT_EQ(set.problems.size(), 8u);
  expectNear(set.totalMacs(), 0.714e9, 0.01); // torchvision: 0.71 GMACs.
}

TEST(Zoo, MobileNetV2) {
  WorkloadSet set = readZoo("mobilenetv2.mlir");
  expectNear(set.totalMacs(), 300e6, 0.01); // Sandler et al.: 300 M.
  unsigned depthwise = 0;
  for (const Problem &problem : set.problems)
    depthwise += problem.opName == "linalg.depthwise_conv_2d_nhwc_hwc";
  EXPECT_EQ(depthwise, 17u); // One per inverted-residual block.
}

TEST(Zoo, BertBaseLayer) {
  WorkloadSet set = readZoo("bert_base.mlir");
  // 4 projections 512x768x768, FFN 2 x 512x768x3072, attention
  // 2 x 12 heads x 512x512x64.
  uint64_t expected = 4ull * 512 * 768 * 768 + 2ull * 512 * 768 * 3072 +
                      2ull * 12 * 512 * 512 * 64;
  EXPECT_EQ(set.totalMacs(), expected);
}

TEST(Zoo, ContractionsAndDlrmRead) {
  WorkloadSet chemistry = readZoo("contractions.mlir");
  EXPECT_GE(chemistry.problems.size(), 6u);
  for (const Problem &problem : chemistry.problems) {
    EXPECT_EQ(problem.opName, "linalg.generic");
    EXPECT_NE(problem.dims[0].name, "d0") << "contractions carry tessel.dims";
  }
  WorkloadSet dlrm = readZoo("dlrm.mlir");
  EXPECT_EQ(dlrm.problems.size(), 7u);
}

} // namespace
} // namespace tessel
