// The one table of lessons (see registry.h). Built into stepwise_lessons,
// which links every lesson core; one line here per lesson.
#include "registry.h"

#include "batchnorm_job.h"
#include "batchnorm_lesson.h"
#include "conv_job.h"
#include "conv_lesson.h"
#include "mlp_job.h"
#include "mlp_lesson.h"
#include "optim_job.h"
#include "optim_lesson.h"
#include "svm_job.h"
#include "svm_lesson.h"

namespace sw {

template <class L>
static std::unique_ptr<Lesson> make() {
  return std::make_unique<L>();
}

const std::vector<LessonInfo>& lesson_registry() {
  // clang-format off
  static const std::vector<LessonInfo> lessons = {
    {"conv", "Convolution", "a convolution layer, one multiply-add at a time",
     "Channels, filters, stride, padding, dilation, bias and ReLU — watch each output cell fill "
     "in, one multiply-add at a time.",
     make<ConvLesson>, conv_job, conv_python, conv_torch},
    {"svm", "SVM", "a linear SVM trained one subgradient step at a time, against the exact optimum",
     "The hinge loss, the margin 2/‖w‖, support vectors and slack; train by subgradient steps and "
     "compare with the exact optimum.",
     make<SvmLesson>, svm_job, svm_python, svm_torch},
    {"batchnorm", "Batch norm",
     "batch normalisation, one operation at a time: statistics, x̂, γ and β, running averages",
     "Batch statistics, ε, γ and β, running statistics, train vs inference, in the PyTorch and "
     "Keras conventions.",
     make<BnLesson>, batchnorm_job, batchnorm_python, batchnorm_torch},
    {"optim", "Optimizers", "gradient descent, momentum, Nesterov, AdaGrad, RMSProp, Adam and AdamW, one update at a time",
     "Race up to four optimizers on one surface: every gradient, moment, bias correction and "
     "step with its numbers, in the PyTorch and Keras conventions.",
     make<OptimLesson>, optim_job, optim_python, optim_torch},
    {"mlp", "Network", "a small neural network: forward pass, loss and backpropagation one operation at a time, trained live",
     "Every multiply of the forward pass and every chain-rule product of the backward pass with "
     "its numbers, then live training with any optimizer.",
     make<MlpLesson>, mlp_job, mlp_python, mlp_torch, "preset=xor&n=24&steps=6"},
  };
  // clang-format on
  return lessons;
}

const LessonInfo* find_lesson(const std::string& name) {
  for (const LessonInfo& l : lesson_registry())
    if (name == l.name) return &l;
  return nullptr;
}

std::string lesson_names() {
  std::string s;
  for (const LessonInfo& l : lesson_registry()) s += (s.empty() ? "" : ", ") + std::string(l.name);
  return s;
}

const char* const kPythonFrameworks[2] = {"numpy", "torch"};

using PythonExport = bool (*)(const Json& job, std::string& out, std::string& err);

// The export for a framework name, or null when the lesson has none.
static PythonExport python_export(const LessonInfo& l, const std::string& framework) {
  if (framework == "numpy") return l.python;
  if (framework == "torch") return l.torch;
  return nullptr;
}

bool lesson_python(const LessonInfo& l, const Json& job, const std::string& framework,
                   std::string& out, std::string& err) {
  if (framework != "numpy" && framework != "torch")
    return err = "unknown framework \"" + framework + "\" (known: numpy, torch)", false;
  const auto f = python_export(l, framework);
  if (!f)
    return err = std::string("the ") + l.name + " lesson has no " +
                 (framework == "torch" ? "PyTorch" : "NumPy") + " export yet",
           false;
  return f(job, out, err);
}

Json lessons_json() {
  Json j = Json::array();
  for (const LessonInfo& l : lesson_registry()) {
    Json frameworks = Json::array();
    for (const char* f : kPythonFrameworks)
      if (python_export(l, f)) frameworks.push_back(f);
    j.push_back({{"name", l.name},
                 {"title", l.title},
                 {"description", l.description},
                 {"summary", l.summary},
                 {"python", std::move(frameworks)}});
  }
  return j;
}

}  // namespace sw
