// TopicBus: the broadcast leg of delivery. Tasks publish results on a topic;
// every subscriber of that topic gets them. Thread-safe; subscribers are called
// without the bus lock held, so they may subscribe or unsubscribe themselves.
#ifndef EDGEFLOW_DEVICE_TOPIC_BUS_H_
#define EDGEFLOW_DEVICE_TOPIC_BUS_H_

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace edgeflow {

class TopicBus {
 public:
  using Fn = std::function<void(const std::string& topic, const std::string& value_json)>;

  uint64_t Subscribe(const std::string& topic, Fn fn);
  void Unsubscribe(uint64_t id);
  // Returns the number of subscribers called.
  int Publish(const std::string& topic, const std::string& value_json);

 private:
  struct Sub {
    std::string topic;
    std::shared_ptr<const Fn> fn;
  };
  std::mutex mu_;
  uint64_t next_id_ = 1;            // guarded by mu_
  std::map<uint64_t, Sub> subs_;    // guarded by mu_
};

}  // namespace edgeflow

#endif  // EDGEFLOW_DEVICE_TOPIC_BUS_H_
