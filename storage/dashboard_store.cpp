#include "storage/dashboard_store.hpp"

#include "storage/statement.hpp"
#include "storage/store.hpp"

namespace ritualbot {

std::optional<std::string> dashboard_store::secret() {
    auto& st = db_.prepared("SELECT secret FROM dashboard_secret WHERE id = 1");
    statement_guard g{st};
    if (!st.executeStep()) return std::nullopt;
    const auto& c = st.getColumn(0);
    return std::string(static_cast<const char*>(c.getBlob()), static_cast<std::size_t>(c.getBytes()));
}

std::string dashboard_store::keep_secret(const std::string& key) {
    {
        auto& st = db_.prepared("INSERT INTO dashboard_secret (id, secret) VALUES (1, :secret) ON CONFLICT (id) DO NOTHING");
        statement_guard g{st};
        st.bind(":secret", key.data(), static_cast<int>(key.size()));
        st.exec();
    }
    return secret().value_or(key);
}

std::int64_t dashboard_store::generation(const std::string& user) {
    auto& st = db_.prepared("SELECT generation FROM dashboard_generations WHERE user_id = :user");
    statement_guard g{st};
    st.bind(":user", user);
    return st.executeStep() ? st.getColumn(0).getInt64() : 0;
}

std::int64_t dashboard_store::revoke(const std::string& user) {
    {
        auto& st = db_.prepared(
            "INSERT INTO dashboard_generations (user_id, generation) VALUES (:user, 1) "
            "ON CONFLICT (user_id) DO UPDATE SET generation = generation + 1");
        statement_guard g{st};
        st.bind(":user", user);
        st.exec();
    }
    return generation(user);
}

}  // namespace ritualbot
