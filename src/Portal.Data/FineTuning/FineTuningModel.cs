using Microsoft.EntityFrameworkCore;

namespace Portal.Data.FineTuning;

/// <summary>The tables of fine-tuning: fine_tuning_jobs, fine_tuning_files.</summary>
internal static class FineTuningModel
{
    public static void Configure(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<FineTuningJobRow>(job =>
        {
            job.ToTable("fine_tuning_jobs");
            job.HasKey(j => j.Id);
            job.Property(j => j.OwnerId).HasMaxLength(200);
            job.Property(j => j.OwnerName).HasMaxLength(200);
            job.Property(j => j.Connection).HasMaxLength(100);
            job.Property(j => j.ProviderJobId).HasMaxLength(200);
            job.Property(j => j.CatalogModelId).HasMaxLength(200);
            job.Property(j => j.BaseModel).HasMaxLength(200);
            job.Property(j => j.Method).HasMaxLength(20);
            job.Property(j => j.Suffix).HasMaxLength(64);
            job.Property(j => j.TrainingFileId).HasMaxLength(200);
            job.Property(j => j.TrainingFileName).HasMaxLength(260);
            job.Property(j => j.ValidationFileId).HasMaxLength(200);
            job.Property(j => j.ValidationFileName).HasMaxLength(260);
            job.Property(j => j.Status).HasMaxLength(40);
            job.Property(j => j.State).HasMaxLength(20);
            job.Property(j => j.FineTunedModel).HasMaxLength(300);
            job.Property(j => j.Error).HasMaxLength(2000);
            job.Property(j => j.FollowProblem).HasMaxLength(2000);
            job.Property(j => j.CostNote).HasMaxLength(1000);
            job.Property(j => j.EstimatedCostUsd).HasPrecision(18, 6);
            job.HasIndex(j => j.State);
            job.HasIndex(j => new { j.Connection, j.ProviderJobId }).IsUnique();
        });

        modelBuilder.Entity<FineTuningFileRow>(file =>
        {
            file.ToTable("fine_tuning_files");
            file.HasKey(f => f.Id);
            file.Property(f => f.OwnerId).HasMaxLength(200);
            file.Property(f => f.Connection).HasMaxLength(100);
            file.Property(f => f.FileName).HasMaxLength(260);
            file.Property(f => f.Method).HasMaxLength(20);
            file.Property(f => f.ProviderFileId).HasMaxLength(200);
            file.Property(f => f.UploadError).HasMaxLength(2000);
            file.HasIndex(f => f.OwnerId);
        });
    }
}
