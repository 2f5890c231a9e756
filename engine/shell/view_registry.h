// The UI's half of the lesson registry: for each public lesson name, how to
// make its view over a lesson the app owns. One line per lesson in
// view_registry.cpp, next to the step engine's registry.cpp line.
#pragma once
#include <memory>

#include "lesson_view.h"

namespace sw {

// The view for `lesson` (matched by lesson.name()); null if none is registered.
std::unique_ptr<LessonView> make_view(Lesson& lesson);

}  // namespace sw
