// One line per lesson: its public name and the function (in the lesson's
// ui/ folder) that makes its view. Built into stepwise_views with every
// lesson's UI library.
#include "view_registry.h"

#include <cstring>

namespace sw {

std::unique_ptr<LessonView> make_conv_view(Lesson& lesson);
std::unique_ptr<LessonView> make_svm_view(Lesson& lesson);
std::unique_ptr<LessonView> make_batchnorm_view(Lesson& lesson);
std::unique_ptr<LessonView> make_optim_view(Lesson& lesson);
std::unique_ptr<LessonView> make_mlp_view(Lesson& lesson);

namespace {
struct ViewEntry {
  const char* name;
  std::unique_ptr<LessonView> (*make)(Lesson&);
};
const ViewEntry kViews[] = {
    {"conv", make_conv_view},   {"svm", make_svm_view}, {"batchnorm", make_batchnorm_view},
    {"optim", make_optim_view}, {"mlp", make_mlp_view},
};
}  // namespace

std::unique_ptr<LessonView> make_view(Lesson& lesson) {
  for (const ViewEntry& v : kViews)
    if (std::strcmp(v.name, lesson.name()) == 0) return v.make(lesson);
  return nullptr;
}

}  // namespace sw
