#include "lesson.h"

namespace sw {

std::string finish_apply_url(Lesson& lesson, int level, long long step, std::string msg) {
  if (level >= 0) lesson.set_level(level);
  if (step >= 0) {
    if (step > lesson.trace().size()) msg += "step=" + std::to_string(step) + " is past the end; ";
    lesson.seek(step);
  } else {
    lesson.reset();
  }
  if (msg.size() >= 2 && msg.compare(msg.size() - 2, 2, "; ") == 0) msg.resize(msg.size() - 2);
  return msg;
}

}  // namespace sw
