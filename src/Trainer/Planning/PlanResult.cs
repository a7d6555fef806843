namespace Rerank.Trainer.Planning;

/// <summary>A plan and what planning left out.</summary>
internal sealed record PlanResult(TrainingPlan Plan, PlanStatistics Statistics);
