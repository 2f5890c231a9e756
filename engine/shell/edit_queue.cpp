#include "edit_queue.h"

#include <vector>

namespace sw {

static std::vector<std::function<void()>>& queue() {
  static std::vector<std::function<void()>> q;
  return q;
}

void edit_later(std::function<void()> edit) {
  queue().push_back(std::move(edit));
}

void apply_queued_edits() {
  std::vector<std::function<void()>> edits;
  edits.swap(queue());  // an edit may queue another: it runs next frame
  for (auto& e : edits) e();
}

}  // namespace sw
