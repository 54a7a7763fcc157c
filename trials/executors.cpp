// Executors by [executor] type, in one table: adding one (a LAVA or KernelCI boot farm, say) is its
// file, its value in ExecutorType and one line here.
#include "trials/executors.hpp"

#include <functional>
#include <utility>

#include "trials/local_executor.hpp"
#include "trials/slurm_executor.hpp"

namespace ccbisect {

std::unique_ptr<Executor> make_executor(const Config& config, Oracle& oracle) {
  using Make = std::function<std::unique_ptr<Executor>(const Config&, Oracle&)>;
  static const std::pair<ExecutorType, Make> k_table[] = {
      {ExecutorType::local,
       [](const Config& c, Oracle& o) -> std::unique_ptr<Executor> {
         return std::make_unique<LocalExecutor>(c, o);
       }},
      {ExecutorType::slurm,
       [](const Config& c, Oracle&) -> std::unique_ptr<Executor> {
         return std::make_unique<SlurmExecutor>(c);
       }},
  };
  for (const auto& [type, make] : k_table) {
    if (type == config.executor.type) {
      return make(config, oracle);
    }
  }
  return std::make_unique<LocalExecutor>(config, oracle);
}

}  // namespace ccbisect
