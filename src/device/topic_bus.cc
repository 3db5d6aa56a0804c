// TopicBus: subscribe, unsubscribe and publish.
#include "device/topic_bus.h"

#include <vector>

#include "core/logging.h"

namespace edgeflow {

uint64_t TopicBus::Subscribe(const std::string& topic, Fn fn) {
  std::lock_guard<std::mutex> l(mu_);
  uint64_t id = next_id_++;
  subs_[id] = Sub{topic, std::make_shared<const Fn>(std::move(fn))};
  return id;
}

void TopicBus::Unsubscribe(uint64_t id) {
  std::lock_guard<std::mutex> l(mu_);
  subs_.erase(id);
}

int TopicBus::Publish(const std::string& topic, const std::string& value_json) {
  std::vector<std::shared_ptr<const Fn>> targets;
  {
    std::lock_guard<std::mutex> l(mu_);
    for (const auto& [id, sub] : subs_) {
      if (sub.topic == topic) targets.push_back(sub.fn);
    }
  }
  for (const auto& fn : targets) {
    try {
      (*fn)(topic, value_json);
    } catch (const std::exception& e) {
      Log(LogLevel::kWarn, "subscriber of topic '" + topic + "' threw: " + e.what());
    } catch (...) {
      Log(LogLevel::kWarn, "subscriber of topic '" + topic + "' threw");
    }
  }
  return static_cast<int>(targets.size());
}

}  // namespace edgeflow
