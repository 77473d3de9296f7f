#include "quality/statistics_figures.h"

#include <fstream>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "grpcpp/create_channel.h"
#include "parkline/statistics/v1/statistics.grpc.pb.h"

namespace parkline::quality {
namespace {

namespace sv1 = statistics::v1;

constexpr int kMaxAnswerBytes = 64 << 20;

std::string ReadAll(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

void SetDate(absl::CivilDay day, common::v1::Date* out) {
  out->set_year(static_cast<int32_t>(day.year()));
  out->set_month(day.month());
  out->set_day(day.day());
}

absl::Status Failed(const std::string& address, const std::string& rpc, const grpc::Status& s) {
  return absl::UnavailableError(
      absl::StrCat("statistics at ", address, ": ", rpc, ": ",
                   s.error_message().empty() ? "no answer" : s.error_message()));
}

}  // namespace

StatisticsFigures::StatisticsFigures(StatisticsSettings settings) : settings_(std::move(settings)) {
  if (settings_.address.empty()) return;
  // A two-year archive export is larger than gRPC's default 4 MiB answer.
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(kMaxAnswerBytes);
  // A statistics service that was down when the last report asked is tried again within seconds,
  // not after gRPC's backoff of up to two minutes.
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 2000);
  std::shared_ptr<grpc::ChannelCredentials> credentials = grpc::InsecureChannelCredentials();
  if (!settings_.tls_ca.empty()) {
    grpc::SslCredentialsOptions tls;
    tls.pem_root_certs = ReadAll(settings_.tls_ca);
    credentials = grpc::SslCredentials(tls);
  }
  channel_ = grpc::CreateCustomChannel(settings_.address, credentials, args);
}

absl::StatusOr<StatisticsEvidence> StatisticsFigures::Figures(const ReportPeriod& period) {
  if (channel_ == nullptr) {
    return absl::FailedPreconditionError("not configured (--statistics_address is empty)");
  }
  std::string token;
  if (!settings_.token_file.empty()) {
    token = std::string(absl::StripAsciiWhitespace(ReadAll(settings_.token_file)));
    if (token.empty()) {
      return absl::FailedPreconditionError(
          absl::StrCat("the token file ", settings_.token_file, " is empty or unreadable"));
    }
  }
  auto stub = sv1::StatisticsService::NewStub(channel_);
  auto context = [&](grpc::ClientContext& ctx) {
    ctx.set_deadline(absl::ToChronoTime(absl::Now() + settings_.deadline));
    // Waits for a connection up to the deadline instead of failing at once while reconnecting.
    ctx.set_wait_for_ready(true);
    if (!token.empty()) ctx.AddMetadata("authorization", "Bearer " + token);
  };
  sv1::Period p;
  SetDate(period.from, p.mutable_from());
  SetDate(period.to, p.mutable_to());

  StatisticsEvidence out;
  for (const WantedIndicator& wanted : ReportIndicators()) {
    sv1::GetTimeSeriesRequest request;
    request.set_indicator(wanted.name);
    request.mutable_label_filter()->insert(wanted.labels.begin(), wanted.labels.end());
    *request.mutable_period() = p;
    request.set_granularity(period.monthly() ? sv1::GRANULARITY_MONTH : sv1::GRANULARITY_DAY);
    sv1::TimeSeries series;
    grpc::ClientContext ctx;
    context(ctx);
    grpc::Status s = stub->GetTimeSeries(&ctx, request, &series);
    if (!s.ok()) return Failed(settings_.address, "GetTimeSeries " + wanted.name, s);
    if (series.series_size() > 0) out.series[wanted.name] = SumSeries(series);
  }
  sv1::ExportPeriodRequest request;
  *request.mutable_period() = p;
  request.set_format(sv1::EXPORT_FORMAT_JSON);
  sv1::ExportPeriodResponse exported;
  grpc::ClientContext ctx;
  context(ctx);
  grpc::Status s = stub->ExportPeriod(&ctx, request, &exported);
  if (!s.ok()) return Failed(settings_.address, "ExportPeriod", s);
  out.export_sha256 = exported.sha256();
  out.export_rows = exported.rows();
  return out;
}

}  // namespace parkline::quality
