using Archivum.Dicom.Model;

namespace Archivum.Dicom.Tests.Model;

public sealed class DicomDateTimeTests
{
    [Theory]
    [InlineData("20240229", 2024, 2, 29)]
    [InlineData("1997.04.30", 1997, 4, 30)] // ACR-NEMA form
    public void Parses_dates(string text, int y, int m, int d)
    {
        Assert.True(DicomDateTime.TryParseDate(text, out var value));
        Assert.Equal(new DateOnly(y, m, d), value.Date);
    }

    [Theory]
    [InlineData("20230229")] // not a leap year
    [InlineData("2024133")]
    [InlineData("2024-01-01")]
    [InlineData("")]
    public void Refuses_malformed_dates(string text) => Assert.False(DicomDateTime.TryParseDate(text, out _));

    [Theory]
    [InlineData("14", "14:00:00", "14:59:59.9999999")]
    [InlineData("1430", "14:30:00", "14:30:59.9999999")]
    [InlineData("143015", "14:30:15", "14:30:15.9999999")]
    [InlineData("143015.5", "14:30:15.5", "14:30:15.5000009")]
    [InlineData("143015.123456", "14:30:15.123456", "14:30:15.1234569")]
    [InlineData("14:30:15", "14:30:15", "14:30:15.9999999")]
    public void Partial_times_cover_their_whole_precision(string text, string lower, string upper)
    {
        Assert.True(DicomDateTime.TryParseTime(text, out var value));
        Assert.Equal(TimeSpan.Parse(lower, System.Globalization.CultureInfo.InvariantCulture), value.LowerBound.TimeOfDay);
        Assert.Equal(TimeSpan.Parse(upper, System.Globalization.CultureInfo.InvariantCulture), value.UpperBound.TimeOfDay);
    }

    [Theory]
    [InlineData("2460")]
    [InlineData("1")]
    [InlineData("143")]
    [InlineData("143015.1234567")]
    public void Refuses_malformed_times(string text) => Assert.False(DicomDateTime.TryParseTime(text, out _));

    [Fact]
    public void Datetime_keeps_precision_and_offset()
    {
        Assert.True(DicomDateTime.TryParseDateTime("2024", out var year));
        Assert.Equal(DicomDateTimePrecision.Year, year.Precision);
        Assert.Equal(new DateTime(2024, 12, 31, 23, 59, 59).AddTicks(9_999_999), year.UpperBound);

        Assert.True(DicomDateTime.TryParseDateTime("20240315103000.25-0500", out var full));
        Assert.Equal(new DateTime(2024, 3, 15, 10, 30, 0).AddMilliseconds(250), full.Value);
        Assert.Equal(TimeSpan.FromHours(-5), full.Offset);
        Assert.Equal("20240315103000.250000-0500", full.ToString(DicomVR.DT));
    }

    [Fact]
    public void Ranges_follow_PS3_4_C_2_2_2_5()
    {
        Assert.True(DicomDateTimeRange.TryParse("20240101-20240131", DicomVR.DA, out var both));
        Assert.True(both.Contains(new DateTime(2024, 1, 31, 23, 0, 0)));
        Assert.False(both.Contains(new DateTime(2024, 2, 1)));

        Assert.True(DicomDateTimeRange.TryParse("-20240101", DicomVR.DA, out var upTo));
        Assert.Null(upTo.Start);
        Assert.True(upTo.Contains(new DateTime(1900, 1, 1)));

        Assert.True(DicomDateTimeRange.TryParse("1200-", DicomVR.TM, out var from));
        Assert.False(from.Contains(new DateTime(1, 1, 1, 11, 59, 0)));
        Assert.True(from.Contains(new DateTime(1, 1, 1, 23, 0, 0)));

        // DT with offsets: the separator is the dash followed by a date, not the offset's sign.
        Assert.True(DicomDateTimeRange.TryParse("2024-0500-2025", DicomVR.DT, out var dt));
        Assert.Equal(TimeSpan.FromHours(-5), dt.Start!.Value.Offset);
        Assert.Equal(2025, dt.End!.Value.Value.Year);
        Assert.True(DicomDateTimeRange.TryParse("2024-2025", DicomVR.DT, out var years));
        Assert.Equal(2024, years.Start!.Value.Value.Year);

        Assert.False(DicomDateTimeRange.TryParse("-", DicomVR.DA, out _));
        Assert.False(DicomDateTimeRange.TryParse("2024x-2025", DicomVR.DA, out _));
    }
}
